import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create();
for (const q of [`select '${JSON.stringify({a:"x\u0000y"})}'::jsonb`, `select $1::jsonb`]) {
  try { const r = await db.query(q, q.includes('$1') ? [JSON.stringify([{args:{b:"\u0000"}}])] : []); console.log('ok', r.rows); }
  catch (e) { console.log('ERR', e.code, e.message); }
}
try { await db.query(`select $1::text`, ['a\u0000b']); console.log('text ok'); } catch (e) { console.log('ERR text', e.code, e.message); }
