import { listUsersSchema, setRoleSchema, userIdSchema } from "@cartwheel/contracts";
import { adminProcedure, router } from "../trpc.ts";

export const usersRouter = router({
  list: adminProcedure.input(listUsersSchema).query(({ ctx, input }) => ctx.services.auth.users.list(input)),

  setRole: adminProcedure
    .input(setRoleSchema)
    .mutation(({ ctx, input }) => ctx.services.auth.users.setRole(ctx.actor, input.userId, input.role)),

  /** Ends every session of the user at once; their access tokens fail on the next request. */
  disable: adminProcedure
    .input(userIdSchema)
    .mutation(({ ctx, input }) => ctx.services.auth.users.disable(ctx.actor, input.userId)),

  enable: adminProcedure.input(userIdSchema).mutation(({ ctx, input }) => ctx.services.auth.users.enable(input.userId)),

  /**
   * Erases a customer's personal data (name, e-mail, addresses, session details), revokes
   * their sessions and API keys and records who did it; their orders stay, as an erased
   * customer's. Staff and admin accounts are made customers first.
   */
  erase: adminProcedure
    .input(userIdSchema)
    .mutation(({ ctx, input }) => ctx.services.auth.eraseUser(ctx.actor, input.userId)),

  /** Mails the user a password reset link (through the outbox and the mail job). */
  sendPasswordReset: adminProcedure
    .input(userIdSchema)
    .mutation(({ ctx, input }) => ctx.services.auth.sendPasswordReset(input.userId)),
});
