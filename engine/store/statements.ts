/** A cache of prepared statements: each SQL text is compiled once per database connection. */
import type { Statement } from 'better-sqlite3';
import type { DB } from './db.ts';

export class Statements {
  private readonly cache = new Map<string, Statement<unknown[], unknown>>();
  constructor(readonly db: DB) {}
  get(sql: string): Statement<unknown[], unknown> {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
