/**
 * Adds the variables of `.env` in the working directory to process.env, as the server does,
 * so `cartwheel db migrate` in the repository root uses the same DATABASE_URL. A variable
 * already set in the environment wins over the file.
 */
export function loadDotEnv(file = ".env"): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
