// Peer (b): the same tRPC router and services on Fastify, what users would pick instead.
import { appRouter } from "@cartwheel/api";
import { fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify from "fastify";
import { anonymousContext, exitOnSigterm, listenPort, peerServices } from "./shared.ts";

const services = await peerServices();
const app = Fastify({ logger: false, routerOptions: { maxParamLength: 5000 } });
app.get("/health", async () => ({ status: "ok" }));
await app.register(fastifyTRPCPlugin, {
  prefix: "/trpc",
  trpcOptions: {
    router: appRouter,
    createContext: ({ req }: { req: { ip: string } }) => anonymousContext(services, req.ip),
  },
});
await app.listen({ port: listenPort(), host: "127.0.0.1" });
exitOnSigterm(() => app.close());
