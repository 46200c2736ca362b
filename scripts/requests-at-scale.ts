/**
 * The request explorer at 10 million rows (PRODUCT.md: "stays fast at 10 million rows …
 * measured"). A measurement, not a test: it is in no suite and CI never runs it.
 *
 *   npx tsx scripts/requests-at-scale.ts [--rows 10000000] [--url postgres://postgres@127.0.0.1:5432/postgres] [--keep mb_scale_x]
 *
 * It creates a scratch database on that server (migrated like any install), seeds users,
 * teams, keys and `--rows` usage rows spread over 90 days (generate_series, in SQL), runs
 * ANALYZE, then for each Requests query prints its median time over 5 runs through the same
 * functions the API uses (lib/requests) and its EXPLAIN (ANALYZE, BUFFERS) plan. The
 * database is dropped at the end unless `--keep` names one to reuse.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, type Db } from "@/db/client";
import { rowsOf } from "@/db/rows-of";
import type { Actor } from "@/lib/core/actor";
import { listRequests, type RequestFilters } from "@/lib/requests/list-requests";
import { requestDetail } from "@/lib/requests/request-detail";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i], process.argv[i + 1]);
const ROWS = Number(args.get("--rows") ?? 10_000_000);
const ADMIN_URL = args.get("--url") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const KEEP = args.get("--keep");
const USERS = 1_000;
const TEAMS = 50;
const KEYS = 2_000;

async function main() {
  const name = KEEP ?? `mb_scale_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  if (!exists) await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), maxConnections: 2 });
  const db = database.db;
  try {
    const [{ count }] = rowsOf<{ count: string }>(
      await db.execute(sql`select count(*)::text as count from usage_records`),
    );
    if (Number(count) < ROWS) await seed(db, ROWS - Number(count));
    await measure(db);
  } finally {
    await database.close();
    if (!KEEP) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** Our own integers, inlined (a bind parameter has no type in `$1 - $2`). */
const lit = (n: number) => sql.raw(String(Math.trunc(n)));

async function seed(db: Db, rows: number) {
  const t0 = performance.now();
  await db.execute(sql`
    insert into users (email, name, role)
    select 'scale-' || g || '@example.test', 'Scale user ' || g, case when g = 1 then 'admin' else 'user' end
    from generate_series(1, ${lit(USERS)}) g on conflict do nothing`);
  await db.execute(sql`
    insert into teams (name, created_by)
    select 'Scale team ' || g, (select id from users where email = 'scale-1@example.test')
    from generate_series(1, ${lit(TEAMS)}) g`);
  // Team t: its admin is user t+1, and users t+1 … t+10 are members.
  await db.execute(sql`
    insert into team_members (team_id, user_id, role)
    select t.id, u.id, case when u.n = t.n + 1 then 'admin' else 'member' end
    from (select id, row_number() over (order by created_at, id) n from teams) t
    join (select id, row_number() over (order by email) n from users where email like 'scale-%') u
      on u.n between t.n + 1 and t.n + 10
    on conflict do nothing`);
  // Keys: key k belongs to user (k % USERS)+1; every fourth key is a team key of its user's first team.
  await db.execute(sql`
    insert into api_keys (name, type, key_hash, prefix, last4, created_by, team_id)
    select 'scale key ' || k, 'model_serving', md5('scale' || k) || md5('k' || k), 'mb_live_', lpad((k % 10000)::text, 4, '0'),
      u.id, case when k % 4 = 0 then (select tm.team_id from team_members tm where tm.user_id = u.id limit 1) end
    from generate_series(1, ${lit(KEYS)}) k
    join (select id, row_number() over (order by email) n from users where email like 'scale-%') u
      on u.n = (k % ${lit(USERS)}) + 1`);
  await db.execute(sql`create temporary table scale_keys as
    select row_number() over (order by id) - 1 as n, id, created_by, team_id from api_keys where name like 'scale key %'`);
  const chunk = 1_000_000;
  for (let done = 0; done < rows; done += chunk) {
    const n = Math.min(chunk, rows - done);
    await db.execute(sql`
      insert into usage_records (request_id, key_id, user_id, team_id, model, endpoint, streamed, status,
        error_code, prompt_tokens, completion_tokens, cost, cost_source, latency_ms, upstream_ms, ttfb_ms,
        client_ip, user_agent, created_at)
      select 'req_' || md5(${lit(done)} + g || 'r'), k.id, k.created_by, k.team_id,
        'model-' || (g % 20), case when g % 10 = 0 then 'responses' else 'chat.completions' end,
        g % 3 = 0,
        case when g % 50 = 0 then 429 when g % 199 = 0 then 502 else 200 end,
        case when g % 50 = 0 then 'rate_limit_exceeded' when g % 199 = 0 then 'upstream_error' end,
        100 + g % 900, 20 + g % 400, (g % 5000)::bigint, 'upstream', 50 + (g * 7919) % 30000,
        40 + (g * 7919) % 29000, 30 + g % 900, '10.0.' || (g % 250) || '.' || (g % 200), 'OpenAI/JS 5.0',
        now() - ((${lit(rows)} - ${lit(done)} - g)::double precision / ${lit(rows)}) * interval '90 days'
      from generate_series(1::bigint, ${lit(n)}) g
      join scale_keys k on k.n = (g * 31 + ${lit(done)}) % ${lit(KEYS)}`);
    console.log(`seeded ${done + n} rows (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  await db.execute(sql`analyze`);
  console.log(`seed done in ${Math.round((performance.now() - t0) / 1000)} s`);
}

/** A Db whose raw `execute` returns the plan of the query it was given instead of its rows. */
class Plan extends Error {
  constructor(readonly text: string) {
    super("plan");
  }
}
function explaining(db: Db): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "execute") return Reflect.get(target, prop, receiver);
      return async (query: SQL) => {
        const result = await target.execute(sql`explain (analyze, buffers) ${query}`);
        throw new Plan(
          rowsOf<Record<string, string>>(result)
            .map((r) => r["QUERY PLAN"])
            .join("\n"),
        );
      };
    },
  }) as Db;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2];
}

async function measure(db: Db) {
  const one = async <T>(q: SQL) => rowsOf<T>(await db.execute(q))[0];
  const adminRow = await one<{ id: string; email: string; name: string }>(
    sql`select id::text, email, name from users where email = 'scale-1@example.test'`,
  );
  // A team admin with personal keys too: the widest "mine" a user has.
  const userRow = await one<{ id: string; email: string; name: string }>(
    sql`select u.id::text, u.email, u.name from users u join team_members tm on tm.user_id = u.id and tm.role = 'admin'
        where u.email like 'scale-%' limit 1`,
  );
  const admin: Actor = { user: { ...adminRow, role: "admin" }, keyId: null };
  const user: Actor = { user: { ...userRow, role: "user" }, keyId: null };
  const key = await one<{ id: string }>(
    sql`select key_id::text as id from usage_records where user_id = ${user.user.id} limit 1`,
  );
  const deep = await one<{ at: string; id: string }>(
    sql`select created_at::text as at, id::text from usage_records order by created_at desc, id desc offset ${Math.floor(ROWS / 2)} limit 1`,
  );
  const sample = await one<{ id: string; request_id: string }>(
    sql`select id::text, request_id from usage_records where user_id = ${user.user.id} order by created_at desc limit 1 offset 5`,
  );
  const cursor = Buffer.from(`${deep.at}|${deep.id}`).toString("base64url");
  const base = { limit: 50 } as const;
  const cases: [string, Actor, RequestFilters][] = [
    ["admin: everything, first page", admin, { ...base, scope: "all" }],
    ["admin: status=error", admin, { ...base, scope: "all", status: "error" }],
    ["admin: model=model-7", admin, { ...base, scope: "all", model: "model-7" }],
    ["admin: status=502 (rare)", admin, { ...base, scope: "all", status: "502" }],
    ["admin: min_latency_ms=29900 (rare)", admin, { ...base, scope: "all", minLatencyMs: 29_900 }],
    ["admin: last 24 h", admin, { ...base, scope: "all", from: new Date(Date.now() - 86_400_000) }],
    ["admin: deep keyset page (row 5M)", admin, { ...base, scope: "all", cursor }],
    [
      "admin: request_id prefix",
      admin,
      { ...base, scope: "all", requestId: sample.request_id.slice(0, 12) },
    ],
    ["user: mine, first page", user, { ...base, scope: "mine" }],
    ["user: mine, status=error", user, { ...base, scope: "mine", status: "error" }],
    ["user: one key", user, { ...base, scope: "mine", keyId: key.id }],
  ];
  const report: string[] = [];
  for (const [label, actor, filters] of cases) {
    const ms = await timed(() => listRequests(db, actor, filters));
    const plan = await listRequests(explaining(db), actor, filters).then(
      () => "(no plan)",
      (error) => (error instanceof Plan ? error.text : String(error)),
    );
    report.push(`### ${label}: median ${ms.toFixed(1)} ms\n\n\`\`\`\n${plan}\n\`\`\``);
    console.log(`${label}: ${ms.toFixed(1)} ms`);
  }
  for (const [label, id] of [
    ["detail by id", sample.id],
    ["detail by request id", sample.request_id],
  ] as const) {
    const ms = await timed(() => requestDetail(db, user, id));
    const plan = await requestDetail(explaining(db), user, id).then(
      () => "(no plan)",
      (error) => (error instanceof Plan ? error.text : String(error)),
    );
    report.push(`### ${label}: median ${ms.toFixed(1)} ms\n\n\`\`\`\n${plan}\n\`\`\``);
    console.log(`${label}: ${ms.toFixed(1)} ms`);
  }
  console.log(`\n${report.join("\n\n")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
