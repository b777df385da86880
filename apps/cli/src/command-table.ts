// Every `cartwheel` command as data: its words, options, help and which function runs it.
// cli.ts turns this table into commander commands. Each command's code stays in its module
// under commands/ and is imported on first use, so `--help` loads none of it.
import { jobStates, roles } from "@cartwheel/contracts/enums";
import { ORDER_REFERENCE_HINT } from "@cartwheel/contracts/order-reference";
import {
  DEFAULT_PAGE_SIZE,
  PAGE_SIZE_MAX,
  PAGE_SIZE_MIN,
  REPORT_DEFAULT_DAYS,
  REPORT_MAX_DAYS,
  WEBHOOK_DELIVERIES_PAGE_MAX,
} from "@cartwheel/contracts/limits";
import { type Command, Option } from "commander";

type CommandFunction = (command: Command) => Promise<void>;
/** Loads a command's module and picks the function that runs it. */
type LoadAction = () => Promise<CommandFunction>;

export interface CommandSpec {
  /** The command word and its arguments, e.g. `show <product>`. */
  readonly usage: string;
  readonly description: string;
  readonly options?: readonly Option[];
  /** Adds `--json` (always the last option). */
  readonly json?: boolean;
  /** Help text shown after the options, before the examples. */
  readonly details?: string;
  readonly examples: readonly string[];
  readonly action: LoadAction;
}

export interface GroupSpec {
  readonly name: string;
  readonly description: string;
  readonly commands: readonly CommandSpec[];
}

const option = (flags: string, description: string, defaultValue?: string) =>
  new Option(flags, description).default(defaultValue);
const pageSizeHelp = `page size, ${PAGE_SIZE_MIN}-${PAGE_SIZE_MAX}`;
const required = (flags: string, description: string) => new Option(flags, description).makeOptionMandatory();
const role = (defaultRole: string) => new Option("--role <role>", roles.join(", ")).choices(roles).default(defaultRole);
const databaseUrl = () =>
  option("--database-url <url>", "postgres://… or file:PATH (default: $DATABASE_URL, else file:./data/cartwheel.db)");
const passwordStdin = () => option("--password-stdin", "read the password from stdin instead of prompting");

type ActionName<M> = { [K in keyof M]: M[K] extends CommandFunction ? K : never }[keyof M];
const code =
  <M>(load: () => Promise<M>) =>
  (name: ActionName<M>): LoadAction =>
  async () =>
    (await load())[name] as CommandFunction;
const session = code(() => import("./commands/session.ts"));
const products = code(() => import("./commands/products.ts"));
const productImport = code(() => import("./commands/product-import.ts"));
const productExport = code(() => import("./commands/product-export.ts"));
const orders = code(() => import("./commands/orders.ts"));
const orderWatch = code(() => import("./commands/order-watch.ts"));
const users = code(() => import("./commands/users.ts"));
const apiKeys = code(() => import("./commands/api-keys.ts"));
const jobs = code(() => import("./commands/jobs.ts"));
const database = code(() => import("./commands/database.ts"));
const pii = code(() => import("./commands/pii.ts"));
const webhooks = code(() => import("./commands/webhooks.ts"));
const reports = code(() => import("./commands/reports.ts"));

/** A UUIDv7, the shape of every id. */
const EXAMPLE_ID = "0190d7a2-3b4c-7d5e-8f60-7182b816d825";

// Customers cannot search every order (orders.list is staff's), so for them a short id is
// matched against their own orders: the one they see on their order page works either way.
const orderReferenceHelp =
  `ORDER is ${ORDER_REFERENCE_HINT},\n` +
  'in any case, with or without a leading "#" or "Order". Staff look a short id up among all orders,\n' +
  "a customer among their own. A short id that fits several orders is refused, naming their full ids.";

/** Commands directly under `cartwheel`. */
export const topLevelCommands: readonly CommandSpec[] = [
  {
    usage: "login",
    description: "log in and store tokens in $XDG_CONFIG_HOME/cartwheel/credentials.json",
    options: [
      option("--url <url>", "server URL"),
      option("--email <email>", "account email (asked for when omitted)"),
      passwordStdin(),
    ],
    examples: [
      "cartwheel login --url http://localhost:3000 --email admin@example.com",
      'printf %s "$PASSWORD" | cartwheel login --email admin@example.com --password-stdin',
    ],
    action: session("login"),
  },
  {
    usage: "logout",
    description: "end the session and delete the stored credentials",
    examples: ["cartwheel logout"],
    action: session("logout"),
  },
  {
    usage: "whoami",
    description: "show who the CLI is authenticated as",
    json: true,
    examples: ["cartwheel whoami --json"],
    action: session("whoami"),
  },
];

export const groups: readonly GroupSpec[] = [
  {
    name: "products",
    description: "manage the catalog",
    commands: [
      {
        usage: "list",
        description: "list products (newest first)",
        options: [
          option("--q <text>", "search name and description"),
          option("--limit <n>", pageSizeHelp, String(DEFAULT_PAGE_SIZE)),
          option("--all", "every product, all pages"),
        ],
        json: true,
        examples: ["cartwheel products list --q mug", "cartwheel products list --all --json > products.json"],
        action: products("list"),
      },
      {
        usage: "show <product>",
        description: "show one product by id or slug",
        json: true,
        examples: ["cartwheel products show blue-mug"],
        action: products("show"),
      },
      {
        usage: "create",
        description: "create a product",
        options: [
          required("--slug <slug>", "unique URL name, e.g. blue-mug"),
          required("--name <name>", "display name"),
          required("--price-cents <n>", "price in minor units, e.g. 1299"),
          option("--description <text>", "description"),
          option("--currency <code>", "ISO 4217 code (default USD)"),
          option("--stock <n>", "initial stock (default 0)"),
        ],
        json: true,
        examples: ["cartwheel products create --slug blue-mug --name 'Blue mug' --price-cents 1299 --stock 10"],
        action: products("create"),
      },
      {
        usage: "update <product>",
        description: "change fields of a product (id or slug); stock changes go through `stock adjust`",
        options: [
          option("--slug <slug>", "new slug"),
          option("--name <name>", "new name"),
          option("--description <text>", "new description"),
          option("--price-cents <n>", "new price in minor units"),
          option("--currency <code>", "new currency"),
        ],
        json: true,
        examples: ["cartwheel products update blue-mug --price-cents 1499"],
        action: products("update"),
      },
      {
        usage: "archive <product>",
        description: "hide a product from customers (id or slug)",
        json: true,
        examples: ["cartwheel products archive blue-mug"],
        action: products("archive"),
      },
      {
        usage: "import <file>",
        description: "create or update products from a CSV file (slug,name,description,price_cents,currency,stock)",
        options: [option("--dry-run", "validate and report what would change, without writing")],
        json: true,
        details:
          "Every row is checked before anything is sent; if any row is invalid, nothing is written and\n" +
          "the failing CSV line numbers are listed (exit 1). Rows identical to the stored product are skipped.",
        examples: ["cartwheel products import products.csv --dry-run", "cartwheel products import products.csv"],
        action: productImport("importProducts"),
      },
      {
        usage: "export",
        description: "write every product as CSV or JSON (same columns as import)",
        options: [
          new Option("--format <format>", "csv or json").choices(["csv", "json"]).default("csv"),
          option("--output <file>", "write to a file instead of stdout"),
          option("--q <text>", "only products matching the search"),
        ],
        examples: ["cartwheel products export --format csv > products.csv"],
        action: productExport("exportProducts"),
      },
    ],
  },
  {
    name: "stock",
    description: "change stock levels",
    commands: [
      {
        usage: "adjust <product> <delta>",
        description: "add (or with a negative DELTA remove) stock; written to the stock ledger",
        options: [required("--reason <text>", '"restock", or any text describing the adjustment')],
        json: true,
        examples: [
          "cartwheel stock adjust blue-mug 25 --reason restock",
          "cartwheel stock adjust blue-mug -2 --reason 'damaged in storage'",
        ],
        action: products("adjustStock"),
      },
    ],
  },
  {
    name: "orders",
    description: "inspect and move orders",
    commands: [
      {
        usage: "list",
        description: "find orders, newest first (staff); every filter given must match",
        options: [
          option("--ref <order>", "one order: its id or short id (last 8-12 hex digits)"),
          option("--email <email>", "the customer's email address (the whole address, any case)"),
          option("--status <status>", "pending, paid, shipped, delivered or cancelled"),
          option("--user <id>", "only this user's orders (user id)"),
          option("--from <date>", "placed at or after: 2026-12-01 (midnight UTC) or an ISO timestamp with offset"),
          option("--to <date>", "placed before, exclusive: same forms as --from"),
          option("--limit <n>", pageSizeHelp, String(DEFAULT_PAGE_SIZE)),
          option("--all", "every matching order, all pages"),
        ],
        json: true,
        details:
          "A bare date is midnight UTC and --to is exclusive, so --from 2026-12-01 --to 2026-12-02 is all of\n" +
          "1 December (UTC); for another zone give timestamps, e.g. --from 2026-12-01T00:00:00+01:00.\n" +
          "The table shows short ids (as the web app does); --json has the full ids.",
        examples: [
          "cartwheel orders list --status paid --json",
          "cartwheel orders list --email jo@example.com --from 2026-12-01 --to 2027-01-01",
          "cartwheel orders list --ref B816D825",
        ],
        action: orders("list"),
      },
      {
        usage: "show <order>",
        description: "show an order: customer, shipping address, shipment, lines and history",
        json: true,
        details: orderReferenceHelp,
        examples: ["cartwheel orders show B816D825", `cartwheel orders show ${EXAMPLE_ID}`],
        action: orders("show"),
      },
      {
        usage: "set-status <order> <status>",
        description: "move an order: pending → paid | cancelled, paid → shipped | cancelled, shipped → delivered",
        options: [
          option("--expected-version <n>", "fail if someone changed the order since you looked"),
          option("--carrier <name>", "with shipped: who carries it, shown to the customer"),
          option("--tracking <number>", "with shipped: the carrier's tracking number, shown to the customer"),
        ],
        json: true,
        details: `${orderReferenceHelp}\n--carrier and --tracking are refused with any status but shipped.`,
        examples: [
          "cartwheel orders set-status B816D825 paid",
          "cartwheel orders set-status '#b816d825' shipped --carrier UPS --tracking 1Z999AA10123456784",
        ],
        action: orders("setStatus"),
      },
      {
        usage: "watch",
        description: "stream order events as they happen (resumes after a dropped connection)",
        options: [option("--status <status>", "only events into this status")],
        json: true,
        examples: ["cartwheel orders watch --status pending --json"],
        action: orderWatch("watch"),
      },
    ],
  },
  {
    name: "reports",
    description: "sales reports for staff",
    commands: [
      {
        usage: "sales",
        description: "orders, revenue, best sellers, low stock and new customers per UTC day (staff)",
        options: [
          option("--from <date>", "from (inclusive): 2026-12-01 (midnight UTC) or an ISO timestamp with offset"),
          option("--to <date>", "to, exclusive: same forms as --from"),
        ],
        json: true,
        details:
          `Without dates: the last ${REPORT_DEFAULT_DAYS} UTC days, today included; at most ${REPORT_MAX_DAYS} days.\n` +
          "Revenue counts paid, shipped and delivered orders, per currency; pending and cancelled are left out.",
        examples: ["cartwheel reports sales", "cartwheel reports sales --from 2026-11-01 --to 2026-12-01 --json"],
        action: reports("sales"),
      },
    ],
  },
  {
    name: "users",
    description: "manage accounts (admin)",
    commands: [
      {
        usage: "list",
        description: "list users, newest first",
        options: [
          option("--q <text>", "only the user with exactly this email or id (no partial match)"),
          option("--limit <n>", pageSizeHelp, "50"),
          option("--all", "every user, all pages"),
        ],
        json: true,
        examples: ["cartwheel users list --q jo@example.com"],
        action: users("list"),
      },
      {
        usage: "set-role <user> <role>",
        description: "change a user's role (user id or email; role customer, staff or admin)",
        json: true,
        examples: ["cartwheel users set-role jo@example.com staff"],
        action: users("setRole"),
      },
      {
        usage: "disable <user>",
        description: "lock a user out and end all their sessions (user id or email)",
        json: true,
        examples: ["cartwheel users disable jo@example.com"],
        action: users("disable"),
      },
      {
        usage: "erase <user>",
        description:
          "erase a customer's personal data for good, after typing erase (user id or email); their orders stay",
        options: [option("--yes", "do not ask (scripts)")],
        json: true,
        examples: [
          "cartwheel users erase jo@example.com",
          "cartwheel users erase 0195f0a4-0000-7000-8000-0000b816d825 --yes",
        ],
        action: users("erase"),
      },
      {
        usage: "enable <user>",
        description: "let a disabled user log in again (user id or email)",
        json: true,
        examples: ["cartwheel users enable jo@example.com"],
        action: users("enable"),
      },
      {
        usage: "reset-password <user>",
        description: "mail the user a link to choose a new password (user id or email)",
        json: true,
        examples: ["cartwheel users reset-password jo@example.com"],
        action: users("resetPassword"),
      },
      {
        usage: "create",
        description: "create an account directly in the database (bootstraps the first admin)",
        options: [
          required("--database-url <url>", "postgres://…, or file:PATH for SQLite"),
          option("--email <email>", "account email (asked for when omitted)"),
          option("--name <name>", "display name (default: the part of the email before @)"),
          role("admin"),
          passwordStdin(),
        ],
        json: true,
        examples: [
          "cartwheel users create --email admin@example.com --role admin --database-url file:./data/cartwheel.db",
        ],
        action: database("createUser"),
      },
    ],
  },
  {
    name: "api-keys",
    description: "manage API keys for services (admin)",
    commands: [
      {
        usage: "create",
        description: "create a key; the secret is printed once, on stdout",
        options: [
          required("--name <name>", "what the key is for"),
          role("staff"),
          option("--expires-at <date>", "expiry, e.g. 2030-01-31"),
        ],
        json: true,
        examples: ["cartwheel api-keys create --name importer --role staff"],
        action: apiKeys("create"),
      },
      {
        usage: "list",
        description: "list keys (never their secrets)",
        json: true,
        examples: ["cartwheel api-keys list"],
        action: apiKeys("list"),
      },
      {
        usage: "revoke <id>",
        description: "revoke a key at once",
        examples: [`cartwheel api-keys revoke ${EXAMPLE_ID}`],
        action: apiKeys("revoke"),
      },
    ],
  },
  {
    name: "jobs",
    description: "inspect the background job queue and redrive failed jobs (admin)",
    commands: [
      {
        usage: "list",
        description: "list jobs in one state, newest first (default: failed, the dead letter)",
        options: [
          new Option("--state <state>", jobStates.join(", ")).choices(jobStates).default("failed"),
          option("--limit <n>", pageSizeHelp, "50"),
          option("--all", "every job in that state, all pages"),
        ],
        json: true,
        examples: ["cartwheel jobs list", "cartwheel jobs list --state completed --limit 10"],
        action: jobs("list"),
      },
      {
        usage: "show <id>",
        description: "show one job with its error and payload",
        json: true,
        examples: [`cartwheel jobs show ${EXAMPLE_ID}`],
        action: jobs("show"),
      },
      {
        usage: "retry <id>",
        description: "queue a failed job again, with fresh attempts",
        examples: [`cartwheel jobs retry ${EXAMPLE_ID}`],
        action: jobs("retry"),
      },
    ],
  },
  {
    name: "webhooks",
    description: "manage signed webhook endpoints and their deliveries (admin)",
    commands: [
      {
        usage: "create",
        description: "create an endpoint; its signing secret is printed once, on stdout",
        options: [
          required("--url <url>", "where deliveries are POSTed (https)"),
          required("--events <types>", "comma-separated: order.created, order.status_changed, product.stock_low"),
          option("--description <text>", "what the endpoint is for"),
        ],
        json: true,
        examples: ["cartwheel webhooks create --url https://hooks.example.com/cartwheel --events order.created"],
        action: webhooks("create"),
      },
      {
        usage: "list",
        description: "list endpoints (never their secrets)",
        json: true,
        examples: ["cartwheel webhooks list"],
        action: webhooks("list"),
      },
      {
        usage: "update <id>",
        description: "change an endpoint's URL, events or description, or enable/disable it",
        options: [
          option("--url <url>", "where deliveries are POSTed (https)"),
          option("--events <types>", "comma-separated event types, replacing the current ones"),
          option("--description <text>", "what the endpoint is for"),
          option("--enable", "deliver to it again"),
          option("--disable", "stop delivering, queued retries included"),
        ],
        json: true,
        examples: [`cartwheel webhooks update ${EXAMPLE_ID} --disable`],
        action: webhooks("update"),
      },
      {
        usage: "rotate-secret <id>",
        description: "replace an endpoint's signing secret; the new one is printed once",
        json: true,
        examples: [`cartwheel webhooks rotate-secret ${EXAMPLE_ID}`],
        action: webhooks("rotateSecret"),
      },
      {
        usage: "deliveries <endpoint-id>",
        description: "an endpoint's deliveries, newest first, with each attempt's status code and latency",
        options: [option("--limit <n>", `deliveries to show, 1-${WEBHOOK_DELIVERIES_PAGE_MAX}`, "20")],
        json: true,
        examples: [`cartwheel webhooks deliveries ${EXAMPLE_ID}`],
        action: webhooks("deliveries"),
      },
      {
        usage: "redeliver <delivery-id>",
        description: "queue one more attempt of a delivery, with the same webhook-id",
        examples: [`cartwheel webhooks redeliver ${EXAMPLE_ID}`],
        action: webhooks("redeliver"),
      },
    ],
  },
  {
    name: "db",
    description: "database maintenance (talks to the database directly)",
    commands: [
      {
        usage: "migrate",
        description: "apply pending migrations",
        options: [databaseUrl()],
        examples: ["cartwheel db migrate --database-url postgres://cartwheel@db/cartwheel"],
        action: database("migrate"),
      },
      {
        usage: "seed",
        description: "add the demo catalog (running it again changes nothing)",
        options: [databaseUrl()],
        json: true,
        examples: ["cartwheel db seed --database-url file:./data/cartwheel.db"],
        action: database("seed"),
      },
    ],
  },
  {
    name: "pii",
    description: "personal data at rest (talks to the database directly, with PII_KEYS and PII_INDEX_KEY)",
    commands: [
      {
        usage: "rotate",
        description:
          "reseal every value under the active key, seal rows written before sealing, index every e-mail (safe to rerun)",
        options: [databaseUrl()],
        json: true,
        examples: [
          "PII_KEYS=2027a:...:active,2026a:... cartwheel pii rotate --database-url postgres://cartwheel@db/cartwheel",
        ],
        action: pii("rotate"),
      },
      {
        usage: "check",
        description: "count the values under each key; exit 1 while any is plaintext or under a key PII_KEYS lacks",
        options: [databaseUrl()],
        json: true,
        examples: ["cartwheel pii check --database-url postgres://cartwheel@db/cartwheel"],
        action: pii("check"),
      },
    ],
  },
];
