// The `cartwheel` command. This file only declares commands; each one's code is loaded
// on first use (dynamic import), so `cartwheel --help` starts without the client, the CSV
// parser or the database drivers.
import { Command, CommanderError, Option } from "commander";
import { run } from "./runtime/run.ts";

// `cartwheel products list | head` closes the pipe early; that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command("cartwheel")
  .description("Admin CLI for the Cartwheel API")
  .version("0.1.0")
  .option("--debug", "print stack traces on errors")
  .showHelpAfterError("(add --help for usage)")
  .exitOverride()
  .addHelpText(
    "after",
    `
Environment:
  CARTWHEEL_URL      server URL (default: the one you logged in to, else http://127.0.0.1:3000)
  CARTWHEEL_API_KEY  authenticate with an API key instead of the stored login
  CARTWHEEL_TOKEN    authenticate with an access token instead of the stored login
  NO_COLOR           disable colour

Example:
  $ cartwheel login --url http://localhost:3000 --email admin@example.com
  $ cartwheel products list --q mug`,
  );

const example = (...lines: string[]) => `\nExample:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;
const json = () => new Option("--json", "print JSON instead of a table");
type CommandFunction = (command: Command) => Promise<void>;
const action =
  <K extends string, M extends Record<K, CommandFunction>>(load: () => Promise<M>, name: K) =>
  (...args: unknown[]) =>
    run(async () => (await load())[name], args.at(-1) as Command);

const session = () => import("./commands/session.ts");
program
  .command("login")
  .description("log in and store tokens in $XDG_CONFIG_HOME/cartwheel/credentials.json")
  .option("--url <url>", "server URL")
  .option("--email <email>", "account email (asked for when omitted)")
  .option("--password-stdin", "read the password from stdin instead of prompting")
  .addHelpText(
    "after",
    example(
      "cartwheel login --url http://localhost:3000 --email admin@example.com",
      'printf %s "$PASSWORD" | cartwheel login --email admin@example.com --password-stdin',
    ),
  )
  .action(action(session, "login"));
program
  .command("logout")
  .description("end the session and delete the stored credentials")
  .addHelpText("after", example("cartwheel logout"))
  .action(action(session, "logout"));
program
  .command("whoami")
  .description("show who the CLI is authenticated as")
  .addOption(json())
  .addHelpText("after", example("cartwheel whoami --json"))
  .action(action(session, "whoami"));

const products = program.command("products").description("manage the catalog");
const productsCode = () => import("./commands/products.ts");
products
  .command("list")
  .description("list products (newest first)")
  .option("--q <text>", "search name and description")
  .option("--limit <n>", "page size, 1-100", "20")
  .option("--all", "every product, all pages")
  .addOption(json())
  .addHelpText(
    "after",
    example("cartwheel products list --q mug", "cartwheel products list --all --json > products.json"),
  )
  .action(action(productsCode, "list"));
products
  .command("show <product>")
  .description("show one product by id or slug")
  .addOption(json())
  .addHelpText("after", example("cartwheel products show blue-mug"))
  .action(action(productsCode, "show"));
products
  .command("create")
  .description("create a product")
  .requiredOption("--slug <slug>", "unique URL name, e.g. blue-mug")
  .requiredOption("--name <name>", "display name")
  .requiredOption("--price-cents <n>", "price in minor units, e.g. 1299")
  .option("--description <text>", "description")
  .option("--currency <code>", "ISO 4217 code (default USD)")
  .option("--stock <n>", "initial stock (default 0)")
  .addOption(json())
  .addHelpText(
    "after",
    example("cartwheel products create --slug blue-mug --name 'Blue mug' --price-cents 1299 --stock 10"),
  )
  .action(action(productsCode, "create"));
products
  .command("update <product>")
  .description("change fields of a product (id or slug); stock changes go through `stock adjust`")
  .option("--slug <slug>", "new slug")
  .option("--name <name>", "new name")
  .option("--description <text>", "new description")
  .option("--price-cents <n>", "new price in minor units")
  .option("--currency <code>", "new currency")
  .addOption(json())
  .addHelpText("after", example("cartwheel products update blue-mug --price-cents 1499"))
  .action(action(productsCode, "update"));
products
  .command("archive <product>")
  .description("hide a product from customers (id or slug)")
  .addOption(json())
  .addHelpText("after", example("cartwheel products archive blue-mug"))
  .action(action(productsCode, "archive"));
products
  .command("import <file>")
  .description("create or update products from a CSV file (slug,name,description,price_cents,currency,stock)")
  .option("--dry-run", "validate and report what would change, without writing")
  .addOption(json())
  .addHelpText(
    "after",
    `\nEvery row is checked before anything is sent; if any row is invalid, nothing is written and\nthe failing CSV line numbers are listed (exit 1). Rows identical to the stored product are skipped.${example("cartwheel products import products.csv --dry-run", "cartwheel products import products.csv")}`,
  )
  .action(action(() => import("./commands/product-import.ts"), "importProducts"));
products
  .command("export")
  .description("write every product as CSV or JSON (same columns as import)")
  .addOption(new Option("--format <format>", "csv or json").choices(["csv", "json"]).default("csv"))
  .option("--output <file>", "write to a file instead of stdout")
  .option("--q <text>", "only products matching the search")
  .addHelpText("after", example("cartwheel products export --format csv > products.csv"))
  .action(action(() => import("./commands/product-export.ts"), "exportProducts"));

program
  .command("stock")
  .description("change stock levels")
  .command("adjust <product> <delta>")
  .description("add (or with a negative DELTA remove) stock; written to the stock ledger")
  .requiredOption("--reason <text>", '"restock", or any text describing the adjustment')
  .addOption(json())
  .addHelpText(
    "after",
    example(
      "cartwheel stock adjust blue-mug 25 --reason restock",
      "cartwheel stock adjust blue-mug -2 --reason 'damaged in storage'",
    ),
  )
  .action(action(productsCode, "adjustStock"));

const orders = program.command("orders").description("inspect and move orders");
const ordersCode = () => import("./commands/orders.ts");
orders
  .command("list")
  .description("list orders, newest first")
  .option("--status <status>", "pending, paid, shipped, delivered or cancelled")
  .option("--user <id>", "only this user's orders")
  .option("--limit <n>", "page size, 1-100", "20")
  .option("--all", "every order, all pages")
  .addOption(json())
  .addHelpText("after", example("cartwheel orders list --status paid --json"))
  .action(action(ordersCode, "list"));
orders
  .command("show <id>")
  .description("show an order with its lines")
  .addOption(json())
  .addHelpText("after", example("cartwheel orders show 0190d7a2-3b4c-7d5e-8f60-718293a4b5c6"))
  .action(action(ordersCode, "show"));
orders
  .command("set-status <id> <status>")
  .description("move an order: pending → paid | cancelled, paid → shipped | cancelled, shipped → delivered")
  .option("--expected-version <n>", "fail if someone changed the order since you looked")
  .addOption(json())
  .addHelpText("after", example("cartwheel orders set-status 0190d7a2-3b4c-7d5e-8f60-718293a4b5c6 shipped"))
  .action(action(ordersCode, "setStatus"));

const users = program.command("users").description("manage accounts (admin)");
const usersCode = () => import("./commands/users.ts");
users
  .command("list")
  .description("list users, newest first")
  .option("--q <text>", "search email and name")
  .option("--limit <n>", "page size, 1-100", "50")
  .option("--all", "every user, all pages")
  .addOption(json())
  .addHelpText("after", example("cartwheel users list --q example.com"))
  .action(action(usersCode, "list"));
users
  .command("set-role <user> <role>")
  .description("change a user's role (user id or email; role customer, staff or admin)")
  .addOption(json())
  .addHelpText("after", example("cartwheel users set-role jo@example.com staff"))
  .action(action(usersCode, "setRole"));
users
  .command("disable <user>")
  .description("lock a user out and end all their sessions (user id or email)")
  .addOption(json())
  .addHelpText("after", example("cartwheel users disable jo@example.com"))
  .action(action(usersCode, "disable"));
users
  .command("enable <user>")
  .description("let a disabled user log in again (user id or email)")
  .addOption(json())
  .addHelpText("after", example("cartwheel users enable jo@example.com"))
  .action(action(usersCode, "enable"));
users
  .command("create")
  .description("create an account directly in the database (bootstraps the first admin)")
  .requiredOption("--database-url <url>", "postgres://…, or file:PATH for SQLite")
  .option("--email <email>", "account email (asked for when omitted)")
  .option("--name <name>", "display name (default: the part of the email before @)")
  .addOption(
    new Option("--role <role>", "customer, staff or admin").choices(["customer", "staff", "admin"]).default("admin"),
  )
  .option("--password-stdin", "read the password from stdin instead of prompting")
  .addOption(json())
  .addHelpText(
    "after",
    example("cartwheel users create --email admin@example.com --role admin --database-url file:./data/cartwheel.db"),
  )
  .action(action(() => import("./commands/database.ts"), "createUser"));

const apiKeys = program.command("api-keys").description("manage API keys for services (admin)");
const apiKeysCode = () => import("./commands/api-keys.ts");
apiKeys
  .command("create")
  .description("create a key; the secret is printed once, on stdout")
  .requiredOption("--name <name>", "what the key is for")
  .addOption(
    new Option("--role <role>", "customer, staff or admin").choices(["customer", "staff", "admin"]).default("staff"),
  )
  .option("--expires-at <date>", "expiry, e.g. 2030-01-31")
  .addOption(json())
  .addHelpText("after", example("cartwheel api-keys create --name importer --role staff"))
  .action(action(apiKeysCode, "create"));
apiKeys
  .command("list")
  .description("list keys (never their secrets)")
  .addOption(json())
  .addHelpText("after", example("cartwheel api-keys list"))
  .action(action(apiKeysCode, "list"));
apiKeys
  .command("revoke <id>")
  .description("revoke a key at once")
  .addHelpText("after", example("cartwheel api-keys revoke 0190d7a2-3b4c-7d5e-8f60-718293a4b5c6"))
  .action(action(apiKeysCode, "revoke"));

const db = program.command("db").description("database maintenance (talks to the database directly)");
const dbCode = () => import("./commands/database.ts");
const databaseUrl = () =>
  new Option(
    "--database-url <url>",
    "postgres://… or file:PATH (default: $DATABASE_URL, else file:./data/cartwheel.db)",
  );
db.command("migrate")
  .description("apply pending migrations")
  .addOption(databaseUrl())
  .addHelpText("after", example("cartwheel db migrate --database-url postgres://cartwheel@db/cartwheel"))
  .action(action(dbCode, "migrate"));
db.command("seed")
  .description("add the demo catalog (running it again changes nothing)")
  .addOption(databaseUrl())
  .addOption(json())
  .addHelpText("after", example("cartwheel db seed --database-url file:./data/cartwheel.db"))
  .action(action(dbCode, "seed"));

for (const group of [products, orders, users, apiKeys, db, program.commands.find((c) => c.name() === "stock")!]) {
  group.exitOverride();
  group.showHelpAfterError("(add --help for usage)");
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version "fail" with exit code 0; everything else commander rejects is usage.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    throw error;
  }
}
