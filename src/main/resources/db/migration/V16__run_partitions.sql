-- Runs partitioned by week of their id, so that old runs go by dropping a partition instead of deleting
-- them row by row (README "Partitioned runs"). SDKs send UUIDv7 run ids: their first 48 bits are the
-- Unix time in milliseconds, and uuids compare byte by byte, so one week of v7 ids is one range of ids.
-- Ranging on id keeps the primary key (tenant_id, id), the ingest upsert's on conflict and every lookup
-- by id on one partition. Ids outside every weekly range (other uuid versions, v7 ids from weeks that
-- have no partition: far past or future) are stored in runs_default, which is never dropped.
--
-- The existing table is converted in place: everything attached to it (indexes, constraints, foreign
-- keys of other tables to it, grants, views, triggers) is read from the catalog before the rename and
-- replayed on the partitioned table, so nothing is listed twice and nothing is forgotten.

-- The lowest v7 id of a moment: its milliseconds in the first 48 bits, zeros after.
create function run_partition_bound(t timestamptz) returns uuid
    language sql immutable parallel safe
    return (lpad(to_hex(floor(extract(epoch from t) * 1000)::bigint), 12, '0') || '00000000000000000000')::uuid;

-- The week (Monday 00:00 UTC) a moment falls in; partitions are named and bounded by it.
create function run_partition_week(t timestamptz) returns timestamptz
    language sql immutable parallel safe
    return date_trunc('week', t at time zone 'UTC') at time zone 'UTC';

create function run_partition_name(week timestamptz) returns text
    language sql immutable parallel safe
    return 'runs_p' || to_char(run_partition_week(week) at time zone 'UTC', 'YYYYMMDD');

-- The week a run id's partition covers, for v7 ids; null for other versions.
create function run_id_week(id uuid) returns timestamptz
    language sql immutable parallel safe
    return case when substr(id::text, 15, 1) = '7'
                then run_partition_week(to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint
                                                     / 1000.0)) end;

-- The columns a copy of runs writes: every column but the generated ones, which recompute.
-- (A quoted body: the name runs is looked up at each call, not bound to the table of today.)
create function run_stored_columns() returns text
    language sql stable as $$
select string_agg(quote_ident(a.attname), ', ' order by a.attnum)
  from pg_attribute a
 where a.attrelid = 'runs'::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
$$;

-- A partition's indexes are named after the indexes of runs they belong to, runs_pkey becoming
-- <partition>_pkey, runs_project_start <partition>_project_start, so that plans read as the indexes
-- they use (PostgreSQL would name them after their columns).
create function run_partition_name_indexes(part text) returns void language plpgsql as $$
declare
    i record;
begin
    for i in select c.relname as name, substr(p.relname, length('runs') + 1) as suffix
               from pg_inherits h
               join pg_class c on c.oid = h.inhrelid
               join pg_class p on p.oid = h.inhparent
               join pg_index x on x.indexrelid = c.oid
              where x.indrelid = part::regclass and p.relname like 'runs\_%' loop
        if i.name <> part || i.suffix then
            execute format('alter index %I rename to %I', i.name, part || i.suffix);
        end if;
    end loop;
end
$$;

-- Creates the partition of the week that t falls in unless it exists; true when it created it. Runs of
-- that week that were stored before it existed (in runs_default) move into it: deleted and inserted
-- again, so that the row triggers keep totals and rollups right.
create function run_partition_create(t timestamptz) returns boolean language plpgsql as $$
declare
    week timestamptz := run_partition_week(t);
    lo uuid := run_partition_bound(week);
    hi uuid := run_partition_bound(week + interval '7 days');
    part text := run_partition_name(week);
    cols text := run_stored_columns();
    waiting bigint;
begin
    if to_regclass(part) is not null then
        return false;
    end if;
    select count(*) into waiting from runs_default where id >= lo and id < hi;
    if waiting > 0 then
        create temporary table run_partition_moving on commit drop as
            select * from runs_default where id >= lo and id < hi;
        delete from runs_default where id >= lo and id < hi;
    end if;
    execute format('create table %I partition of runs for values from (%L) to (%L)', part, lo, hi);
    perform run_partition_name_indexes(part);
    if waiting > 0 then
        execute format('insert into runs (%s) select %s from run_partition_moving', cols, cols);
        drop table run_partition_moving;
    end if;
    return true;
end
$$;

-- What is attached to runs now, read while its names are still the ones to recreate.
create temporary table run_attached (seq serial, kind text, target text, name text, def text);

insert into run_attached (kind, target, name, def)
select 'constraint', 'runs', c.conname, pg_get_constraintdef(c.oid)
from pg_constraint c
where c.conrelid = 'runs'::regclass and c.contype in ('p', 'u', 'x', 'f', 'c')
order by c.contype = 'f', c.conname;

insert into run_attached (kind, target, name, def)
select 'index', 'runs', i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
from pg_index i
where i.indrelid = 'runs'::regclass
  and not exists (select from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = 'runs'::regclass)
order by 3;

insert into run_attached (kind, target, name, def)
select 'foreign key', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
from pg_constraint c
where c.confrelid = 'runs'::regclass and c.contype = 'f' and c.conrelid <> 'runs'::regclass
order by 2, 3;

insert into run_attached (kind, target, name, def)
select distinct 'view', v.oid::regclass::text, v.oid::regclass::text, pg_get_viewdef(v.oid)
from pg_depend d
join pg_rewrite w on w.oid = d.objid
join pg_class v on v.oid = w.ev_class
where d.refobjid = 'runs'::regclass and v.oid <> 'runs'::regclass;

insert into run_attached (kind, target, name, def)
select 'trigger', 'runs', t.tgname, pg_get_triggerdef(t.oid)
from pg_trigger t
where t.tgrelid = 'runs'::regclass and not t.tgisinternal
order by t.tgname;

insert into run_attached (kind, target, name, def)
select 'disabled trigger', 'runs', t.tgname, null
from pg_trigger t
where t.tgrelid = 'runs'::regclass and not t.tgisinternal and t.tgenabled = 'D';

insert into run_attached (kind, target, name, def)
select 'grant', 'runs', case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end,
       a.privilege_type || case when a.is_grantable then ' with grant option' else '' end
from pg_class c, aclexplode(c.relacl) a
where c.oid = 'runs'::regclass and a.grantee <> c.relowner;

insert into run_attached (kind, target, name, def)
select 'owner', 'runs', quote_ident(pg_get_userbyid(c.relowner)), null
from pg_class c
where c.oid = 'runs'::regclass;

-- The old table and its indexes step aside under other names; its foreign keys to it from other
-- tables go (they are added again to the new table).
do $$
declare
    a record;
begin
    for a in select * from run_attached where kind = 'foreign key' loop
        execute format('alter table %s drop constraint %I', a.target, a.name);
    end loop;
    alter table runs rename to runs_unpartitioned;
    for a in select i.indexrelid::regclass::text as name
               from pg_index i where i.indrelid = 'runs_unpartitioned'::regclass loop
        execute format('alter index %I rename to %I', a.name, left(a.name, 40) || '_unpartitioned');
    end loop;
end
$$;

create table runs (like runs_unpartitioned including defaults including generated including storage
    including compression including comments including statistics) partition by range (id);

-- Constraints first (the primary key's index is the partitioned one), then the plain indexes.
do $$
declare
    a record;
begin
    for a in select * from run_attached where kind = 'constraint' order by seq loop
        execute format('alter table runs add constraint %I %s', a.name, a.def);
    end loop;
    for a in select * from run_attached where kind = 'index' order by seq loop
        execute a.def;
    end loop;
end
$$;

create table runs_default partition of runs default;
select run_partition_name_indexes('runs_default');

-- A partition for every week that holds v7 runs, from the oldest such week of the last two years up
-- to four weeks ahead (the job's default; it creates the rest of what it is told). Older v7 runs and
-- runs with other ids are kept in runs_default.
select run_partition_create(w)
from generate_series(
        coalesce((select min(run_id_week(id)) from runs_unpartitioned
                   where run_id_week(id) >= run_partition_week(now() - interval '104 weeks')
                     and run_id_week(id) <= run_partition_week(now())),
                 run_partition_week(now())),
        run_partition_week(now()) + interval '4 weeks',
        interval '7 days') as w;

-- The rows move before any trigger exists: totals, rollups and the change feed already account for
-- them. Generated columns are computed again from the moved values.
do $$
begin
    execute format('insert into runs (%s) select %s from runs_unpartitioned', run_stored_columns(),
                   run_stored_columns());
end
$$;

do $$
declare
    a record;
begin
    for a in select * from run_attached where kind = 'foreign key' order by seq loop
        execute format('alter table %s add constraint %I %s', a.target, a.name, a.def);
    end loop;
    for a in select * from run_attached where kind = 'view' order by seq loop
        execute format('create or replace view %s as %s', a.name, a.def);
    end loop;
    for a in select * from run_attached where kind = 'trigger' order by seq loop
        execute a.def;
    end loop;
    for a in select * from run_attached where kind = 'disabled trigger' order by seq loop
        execute format('alter table runs disable trigger %I', a.name);
    end loop;
    for a in select * from run_attached where kind = 'owner' loop
        execute format('alter table runs owner to %s', a.name);
    end loop;
    for a in select * from run_attached where kind = 'grant' order by seq loop
        execute format('grant %s on runs to %s', a.def, a.name);
    end loop;
end
$$;

drop table runs_unpartitioned;
drop table run_attached;

analyze runs;

-- One run's contribution to the rollups, added (sign 1) or taken away (sign -1): what the row trigger
-- appends for a change, and what dropping a partition appends for each of its runs.
create function run_rollups_record(r runs, sign integer) returns void language sql as $$
    insert into run_rollup_changes (tenant_id, project_id, hour, run_type, is_root, status, runs,
                                    prompt_tokens, completion_tokens, total_tokens,
                                    prompt_cost, completion_cost, total_cost, unpriced,
                                    latency_bucket, first_token_bucket)
    values (r.tenant_id, r.project_id, rollup_hour(r.start_time), r.run_type, r.parent_run_id is null,
            r.status, sign, sign * r.prompt_tokens, sign * r.completion_tokens, sign * r.total_tokens,
            sign * r.prompt_cost, sign * r.completion_cost, sign * r.total_cost,
            sign * (r.run_type = 'llm' and r.total_cost is null and (r.prompt_tokens is not null
              or r.completion_tokens is not null or r.total_tokens is not null))::int,
            rollup_bucket(r.latency_seconds),
            rollup_bucket(extract(epoch from (r.first_token_time - r.start_time))::float8));
$$;

-- old and new have the row type of the partition the trigger fired on; assigned to variables of the
-- type runs, they are passed on as runs.
create or replace function run_rollups_apply() returns trigger language plpgsql as $$
declare
    o runs;
    n runs;
begin
    if tg_op = 'UPDATE'
       and (old.tenant_id, old.project_id, old.run_type, old.parent_run_id is null, old.status, old.start_time,
            old.end_time, old.first_token_time, old.prompt_tokens, old.completion_tokens, old.total_tokens,
            old.prompt_cost, old.completion_cost, old.total_cost)
           is not distinct from
           (new.tenant_id, new.project_id, new.run_type, new.parent_run_id is null, new.status, new.start_time,
            new.end_time, new.first_token_time, new.prompt_tokens, new.completion_tokens, new.total_tokens,
            new.prompt_cost, new.completion_cost, new.total_cost) then
        return null;
    end if;
    if tg_op <> 'INSERT' then
        o := old;
        perform run_rollups_record(o, -1);
    end if;
    if tg_op <> 'DELETE' then
        n := new;
        perform run_rollups_record(n, 1);
    end if;
    return null;
end
$$;

-- Drops the partition of the week that t falls in, as if its runs had been deleted one by one: what the
-- row triggers would have done (trace totals, rollups) is done for the whole partition, and what hangs
-- off its runs (feedback, attachments, waiting patches, the shares of traces left without runs) goes
-- too, all in this transaction. False when there is no such partition. Taking the partition away locks
-- runs briefly; lock_timeout makes a drop that would wait behind long statements give up (and block
-- no writer behind it) instead.
create function run_partition_drop(t timestamptz) returns boolean language plpgsql as $$
declare
    week timestamptz := run_partition_week(t);
    lo uuid := run_partition_bound(week);
    hi uuid := run_partition_bound(week + interval '7 days');
    part text := run_partition_name(week);
begin
    if to_regclass(part) is null then
        return false;
    end if;
    set local lock_timeout = '10s';
    -- No run is written to the partition between reading it and dropping it.
    execute format('lock table %I in exclusive mode', part);
    create temporary table run_partition_traces on commit drop as
        select distinct r.tenant_id, r.trace_id from runs r where r.id >= lo and r.id < hi;
    perform run_rollups_record(r, -1) from runs r where r.id >= lo and r.id < hi;
    delete from feedback f using runs r where r.id >= lo and r.id < hi and f.tenant_id = r.tenant_id and f.run_id = r.id;
    delete from run_attachments a using runs r
     where r.id >= lo and r.id < hi and a.tenant_id = r.tenant_id and a.run_id = r.id;
    delete from run_patches p where p.run_id >= lo and p.run_id < hi;
    execute format('alter table runs detach partition %I', part);
    execute format('drop table %I', part);
    perform trace_totals_recompute(d.tenant_id, d.trace_id) from run_partition_traces d;
    delete from run_shares s using run_partition_traces d
     where s.tenant_id = d.tenant_id and s.trace_id = d.trace_id
       and not exists (select from runs r where r.tenant_id = d.tenant_id and r.trace_id = d.trace_id);
    drop table run_partition_traces;
    return true;
end
$$;
