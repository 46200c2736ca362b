import { sql, type SQL } from "drizzle-orm";

/**
 * Budget periods in SQL, for the statements that write spend (budget leases, the usage
 * sink). `now` is the caller's clock (injectable in tests), not the database's: every
 * process judges the boundary by the same rule, and a test can move it.
 *
 * The start of the period containing `now` for a row of api_keys (null for `none`); weeks
 * start on Monday, as date_trunc('week') does.
 */
export function periodStartSql(now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`(case budget_period
    when 'daily' then date_trunc('day', ${at}, 'UTC')
    when 'weekly' then date_trunc('week', ${at}, 'UTC')
    when 'monthly' then date_trunc('month', ${at}, 'UTC')
  end)`;
}

/**
 * Moves the keys' period forward to the one containing `now`, zeroing its spend: once per
 * boundary (only forward, so a process whose clock lags cannot move it back, and the first
 * writer after the boundary is the only one whose condition holds). Callers hold the rows'
 * locks or run it as its own atomic statement.
 */
export function rollPeriodsSql(keyIds: SQL, now: Date): SQL {
  const start = periodStartSql(now);
  return sql`update api_keys set period_start = ${start}, period_spend = 0
    where id in (${keyIds}) and budget_period <> 'none' and (period_start is null or period_start < ${start})`;
}
