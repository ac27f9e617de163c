/**
 * Sharding by company: after every migration, each key of a tenant table (a
 * table with an `org_id` column) leads with `org_id`, so the tables can be
 * distributed by `org_id` (Citus: `create_distributed_table(t, 'org_id')`)
 * without changing a key. Reads the catalog (pg_index, pg_constraint,
 * pg_attribute), so it holds for keys written in hand-made SQL as well as
 * those drizzle generates. PGlite is Postgres with the same catalog, so the
 * suite runs on both.
 *
 * The keys that span companies on purpose are listed below with their reason.
 * The list is closed both ways: a new key that does not lead with `org_id`
 * fails here, and so does a listed key that has since been fixed or dropped.
 * Likewise a new table without `org_id` fails until it is listed as a
 * reference table.
 * docs/operations.md ("Sharding by company") says what each would need under
 * Citus.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from '../testing/test-database';
import type { Database } from './database';

const kinds = await databaseKindsUnderTest();

/** Keys of tenant tables that do not lead with `org_id`, by constraint or index name, and why. */
const KEYS_ACROSS_COMPANIES: Record<string, string> = {
  users_email_lower_key:
    'Sign-in finds a person by e-mail before any company is known, so an e-mail is unique across the whole deployment.',
  invite_tokens_hash_key:
    'Accepting an invite or reset link finds the token before any company is known: the link carries no company.',
  refresh_tokens_hash_key:
    'A refresh token hash is unique across the deployment. The token carries its company and every lookup also ' +
    'filters by org_id, so this one could become (org_id, token_hash) in a migration.',
  sync_clients_id_key:
    'A device client id belongs to one person across the deployment: a client id already used in another company ' +
    'is refused (client_id_taken), and pulls look the client up by id alone to say so.',
  push_subscriptions_endpoint_pk:
    'A browser push endpoint belongs to one person at a time across the deployment: when someone else signs in on ' +
    'that browser, even of another company, the subscription moves to them.',
};

/** Tables without `org_id`: each would be a Citus reference table, copied to every node. */
const REFERENCE_TABLES: Record<string, string> = {
  organizations: 'The tenant itself: its id is the org_id every other table points at.',
  login_failures: 'Failed sign-ins per e-mail and address, counted before any company is known.',
};

type KeyKind = 'primary key' | 'unique constraint' | 'unique index' | 'exclusion constraint' | 'foreign key';

/** One key as the catalog describes it. Elements are column names or index expressions, in key order. */
interface Key {
  table: string;
  name: string;
  kind: KeyKind;
  elements: string[];
  /** Exclusion constraints: the operator of each element. */
  operators: string[];
  /** Foreign keys: the table and columns referenced. */
  referencedTable: string | null;
  referencedColumns: string[];
}

interface TableInfo {
  table: string;
  /** `uuid not null` and the like; null when the table has no `org_id`. */
  orgIdType: string | null;
}

async function readTables(database: Database): Promise<TableInfo[]> {
  return database.query<TableInfo>(sql`
    select c.relname as "table",
      (select format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
         from pg_attribute a
         where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped) as "orgIdType"
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    order by 1`);
}

/**
 * Every unique index (primary keys and unique constraints included), every
 * exclusion constraint and every foreign key in the public schema. Lists come
 * back as JSON text so both drivers hand them over the same way.
 */
async function readKeys(database: Database): Promise<Key[]> {
  const indexKeys = await database.query<RawKey>(sql`
    select t.relname as "table",
      coalesce(con.conname, ix.relname) as name,
      case con.contype when 'p' then 'primary key' when 'u' then 'unique constraint'
        when 'x' then 'exclusion constraint' else 'unique index' end as kind,
      (select json_agg(pg_get_indexdef(i.indexrelid, n, true) order by n)::text
         from generate_series(1, i.indnkeyatts::int) n) as elements,
      (select json_agg(o.oprname order by k.ord)::text
         from unnest(con.conexclop) with ordinality k(opr, ord) join pg_operator o on o.oid = k.opr) as operators,
      null as "referencedTable",
      null as "referencedColumns"
    from pg_index i
    join pg_class ix on ix.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    left join pg_constraint con on con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x')
    where t.relnamespace = 'public'::regnamespace and (i.indisunique or con.contype = 'x')`);
  const foreignKeys = await database.query<RawKey>(sql`
    select con.conrelid::regclass::text as "table",
      con.conname as name,
      'foreign key' as kind,
      (select json_agg(a.attname order by k.ord)::text
         from unnest(con.conkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as elements,
      null as operators,
      con.confrelid::regclass::text as "referencedTable",
      (select json_agg(a.attname order by k.ord)::text
         from unnest(con.confkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as "referencedColumns"
    from pg_constraint con
    where con.connamespace = 'public'::regnamespace and con.contype = 'f'`);
  return [...indexKeys, ...foreignKeys].map(parseKey).sort((a, b) => a.name.localeCompare(b.name));
}

interface RawKey {
  table: string;
  name: string;
  kind: KeyKind;
  elements: string | null;
  operators: string | null;
  referencedTable: string | null;
  referencedColumns: string | null;
}

function parseKey(raw: RawKey): Key {
  const list = (text: string | null) => (text ? (JSON.parse(text) as string[]) : []);
  return {
    table: raw.table,
    name: raw.name,
    kind: raw.kind,
    elements: list(raw.elements),
    operators: list(raw.operators),
    referencedTable: raw.referencedTable,
    referencedColumns: list(raw.referencedColumns),
  };
}

/**
 * Whether a key of a tenant table can stay as it is when the tables are
 * distributed by org_id: it starts with org_id; an exclusion constraint
 * compares org_id with `=`; a foreign key meets org_id on the other side too,
 * unless it points at a reference table.
 */
function leadsWithOrgId(key: Key, tenantTables: ReadonlySet<string>): boolean {
  if (key.elements[0] !== 'org_id') return false;
  if (key.kind === 'exclusion constraint' && key.operators[0] !== '=') return false;
  if (key.kind === 'foreign key' && key.referencedTable && tenantTables.has(key.referencedTable)) {
    return key.referencedColumns[0] === 'org_id';
  }
  if (key.kind === 'foreign key')
    return key.referencedTable !== null && Object.hasOwn(REFERENCE_TABLES, key.referencedTable);
  return true;
}

const tenantTablesOf = (tables: readonly TableInfo[]) =>
  new Set(tables.filter((table) => table.orgIdType !== null).map((table) => table.table));

/** The keys of tenant tables that would stop them being distributed by org_id as they are. */
function keysAcrossCompanies(tables: readonly TableInfo[], keys: readonly Key[]): Key[] {
  const tenantTables = tenantTablesOf(tables);
  return keys.filter((key) => tenantTables.has(key.table) && !leadsWithOrgId(key, tenantTables));
}

const unlistedNames = (across: readonly Key[]) =>
  across.filter((key) => !Object.hasOwn(KEYS_ACROSS_COMPANIES, key.name)).map((key) => key.name);

const describeKey = (key: Key) =>
  `${key.table}.${key.name} (${key.kind} on ${key.elements.join(', ')}` +
  `${key.referencedTable ? ` → ${key.referencedTable}(${key.referencedColumns.join(', ')})` : ''})`;

describe.each(kinds)('keys lead with org_id on %s', (kind) => {
  let testDb: TestDatabase;
  let tables: TableInfo[];
  let keys: Key[];
  let tenantTables: Set<string>;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tables = await readTables(testDb.database);
    keys = await readKeys(testDb.database);
    tenantTables = tenantTablesOf(tables);
  });
  afterAll(() => testDb.drop());

  test('the catalog reading sees keys of every kind, expressions included', () => {
    // Guards the reading itself: an empty or garbled answer would make the checks below pass for nothing.
    const byName = new Map(keys.map((key) => [key.name, key]));
    expect(byName.get('jobs_org_id_id_pk')).toMatchObject({ kind: 'primary key', elements: ['org_id', 'id'] });
    expect(byName.get('users_email_lower_key')).toMatchObject({ kind: 'unique index', elements: ['lower(email)'] });
    expect(byName.get('assignments_no_double_booking')).toMatchObject({
      kind: 'exclusion constraint',
      elements: ['org_id', 'contractor_id', "tstzrange(scheduled_start, scheduled_end, '[)'::text)"],
      operators: ['=', '=', '&&'],
    });
    expect(byName.get('assignments_org_id_job_id_jobs_org_id_id_fk')).toMatchObject({
      kind: 'foreign key',
      elements: ['org_id', 'job_id'],
      referencedTable: 'jobs',
      referencedColumns: ['org_id', 'id'],
    });
    expect(tenantTables.size).toBeGreaterThan(20);
  });

  test('every table has org_id as uuid not null, or is one of the reference tables', () => {
    const withoutOrgId = tables.filter((table) => table.orgIdType === null).map((table) => table.table);
    expect(withoutOrgId, 'a new table without org_id: give it org_id, or list it in REFERENCE_TABLES').toEqual(
      Object.keys(REFERENCE_TABLES).sort(),
    );
    // Citus refuses NULL in the distribution column, and colocated tables need one type for it.
    const otherTypes = tables.filter((table) => table.orgIdType !== null && table.orgIdType !== 'uuid not null');
    expect(otherTypes).toEqual([]);
  });

  test('reference tables point at no tenant table', () => {
    // A reference table is copied to every node; a key from it into one company's shard cannot be kept.
    const intoTenants = keys.filter(
      (key) =>
        Object.hasOwn(REFERENCE_TABLES, key.table) &&
        key.kind === 'foreign key' &&
        tenantTables.has(key.referencedTable ?? ''),
    );
    expect(intoTenants.map(describeKey)).toEqual([]);
  });

  test('every primary key, unique key, foreign key and exclusion constraint of a tenant table leads with org_id, but the listed ones', () => {
    const across = keysAcrossCompanies(tables, keys);
    const unlisted = across.filter((key) => !Object.hasOwn(KEYS_ACROSS_COMPANIES, key.name));
    expect(
      unlisted.map(describeKey),
      'lead these with org_id (the table can then be distributed by company); if one must span companies, ' +
        'list it in KEYS_ACROSS_COMPANIES with the reason and say in docs/operations.md what it needs under Citus',
    ).toEqual([]);
    const acrossNames = new Set(across.map((key) => key.name));
    const stale = Object.keys(KEYS_ACROSS_COMPANIES).filter((name) => !acrossNames.has(name));
    expect(stale, 'these now lead with org_id or are gone: take them off KEYS_ACROSS_COMPANIES').toEqual([]);
  });

  test('a new key of any kind that does not lead with org_id is caught', async () => {
    // Shows the check above can fail: keys added for the occasion, dropped again at the end.
    const probes = [
      'create unique index probe_jobs_title_key on jobs (title)',
      'create unique index probe_jobs_id_org_key on jobs (id, org_id)',
      // Leads with org_id here, but meets jobs.id on the other side: the rows could sit on different nodes.
      'alter table materials add constraint probe_materials_job_fk foreign key (org_id, job_id) references jobs (id, org_id)',
      'alter table working_hours add constraint probe_working_hours_overlap exclude using gist (contractor_id with =, org_id with =)',
    ];
    const run = (statement: string) => testDb.database.query(sql.raw(statement));
    try {
      for (const probe of probes) await run(probe);
      const across = keysAcrossCompanies(await readTables(testDb.database), await readKeys(testDb.database));
      expect(unlistedNames(across)).toEqual([
        'probe_jobs_id_org_key',
        'probe_jobs_title_key',
        'probe_materials_job_fk',
        'probe_working_hours_overlap',
      ]);
    } finally {
      await run('alter table materials drop constraint if exists probe_materials_job_fk');
      await run('alter table working_hours drop constraint if exists probe_working_hours_overlap');
      await run('drop index if exists probe_jobs_title_key');
      await run('drop index if exists probe_jobs_id_org_key');
    }
  });
});
