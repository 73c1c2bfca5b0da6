// The baseline: a minimal hand-written Koa + pg server doing the same work as Daichō's records
// API for deals (read by id, filtered list, list with the account name, create, update one field,
// bulk insert), on tables of the same shape. Run as its own process by the benchmark.
//   node bench/data-engine/baseline-server.ts <port> <database-url> <schema>
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import pg from 'pg';

const [port, databaseUrl, schema] = process.argv.slice(2) as [string, string, string];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const app = new Koa();
const router = new Router();
const table = `"${schema}".deal`;
const columns = 'id, title, account_id, stage, amount, amount_cur, probability, close_date, kind, source, next_step, quantity, discount, renewal, created_at, updated_at, version';

async function readJson(ctx: Koa.Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

const toDeal = (row: Record<string, unknown>) => ({
  id: row.id,
  title: row.title,
  account: row.account_id,
  stage: row.stage,
  amount: row.amount === null ? null : { amount: Number(row.amount), currency: row.amount_cur },
  probability: row.probability === null ? null : Number(row.probability),
  closeDate: row.close_date,
  kind: row.kind,
  source: row.source,
  nextStep: row.next_step,
  quantity: row.quantity === null ? null : Number(row.quantity),
  discount: row.discount === null ? null : Number(row.discount),
  renewal: row.renewal,
  version: row.version,
  ...(row.account_name === undefined ? {} : { accountName: row.account_name }),
});

router.get('/deals/:id', async (ctx) => {
  const { rows } = await pool.query(`select ${columns} from ${table} where id = $1`, [ctx.params.id]);
  if (!rows[0]) {
    ctx.status = 404;
    return;
  }
  ctx.body = toDeal(rows[0]);
});

router.get('/deals', async (ctx) => {
  const stage = String(ctx.query.stage);
  const minAmount = Number(ctx.query.minAmount);
  const withAccount = ctx.query.expand === 'account';
  const sql = withAccount
    ? `select d.${columns.split(', ').join(', d.')}, a.name as account_name from ${table} d left join "${schema}".account a on a.id = d.account_id where d.stage = $1 and d.amount > $2 order by d.close_date, d.id limit 50`
    : `select ${columns} from ${table} where stage = $1 and amount > $2 order by close_date, id limit 50`;
  const { rows } = await pool.query(sql, [stage, minAmount]);
  ctx.body = { records: rows.map(toDeal) };
});

router.post('/deals', async (ctx) => {
  const body = await readJson(ctx);
  if (typeof body.title !== 'string') {
    ctx.status = 422;
    return;
  }
  const amount = body.amount as { amount: number; currency: string } | undefined;
  const { rows } = await pool.query(
    `insert into ${table} (id, title, account_id, stage, amount, amount_cur, probability, close_date) values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${columns}`,
    [randomUUID(), body.title, body.account ?? null, body.stage ?? 'prospect', amount?.amount ?? null, amount?.currency ?? null, body.probability ?? null, body.closeDate ?? null],
  );
  ctx.status = 201;
  ctx.body = toDeal(rows[0]);
});

router.patch('/deals/:id', async (ctx) => {
  const body = await readJson(ctx);
  const { rows } = await pool.query(`update ${table} set next_step = $2, version = version + 1, updated_at = now() where id = $1 returning ${columns}`, [ctx.params.id, body.nextStep]);
  if (!rows[0]) {
    ctx.status = 404;
    return;
  }
  ctx.body = toDeal(rows[0]);
});

router.post('/deals/import', async (ctx) => {
  const body = await readJson(ctx);
  const records = body.records as Array<Record<string, unknown>>;
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (let start = 0; start < records.length; start += 5000) {
      const chunk = records.slice(start, start + 5000);
      const column = (pick: (r: Record<string, unknown>) => unknown) => chunk.map((record) => pick(record) ?? null);
      await client.query(
        `insert into ${table} (id, title, account_id, stage, amount, amount_cur, probability, close_date, kind, source, next_step, quantity, discount, renewal)
         select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::numeric[], $6::text[], $7::numeric[], $8::date[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::numeric[], $14::boolean[])`,
        [
          chunk.map(() => randomUUID()), column((r) => r.title), column((r) => r.account), column((r) => r.stage),
          column((r) => (r.amount as { amount: number } | undefined)?.amount), column((r) => (r.amount as { currency: string } | undefined)?.currency),
          column((r) => r.probability), column((r) => r.closeDate), column((r) => r.kind), column((r) => r.source),
          column((r) => r.nextStep), column((r) => r.quantity), column((r) => r.discount), column((r) => r.renewal),
        ],
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
  ctx.body = { created: records.length };
});

app.use(router.routes());
app.listen(Number(port), '127.0.0.1', () => process.stdout.write(`baseline listening on ${port}\n`));
