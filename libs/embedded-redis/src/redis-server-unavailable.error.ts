/** Thrown when the redis-server binary cannot be executed at all (ENOENT). */
export class RedisServerUnavailableError extends Error {
  override readonly name = 'RedisServerUnavailableError';

  constructor(
    readonly binary: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot run "${binary}": no Redis server binary found. ` +
        'Install one (`apt-get install redis-server`), start the bundled one with `docker compose up redis`, ' +
        'or set REDIS_URL to point at an existing Redis server.',
      options,
    );
  }
}
