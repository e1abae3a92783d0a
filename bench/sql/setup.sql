-- Setup for the pgbench part of bench/ingest.sh, run once after the gateway has created the schema.
-- bench_text: 1000 fixed texts of 1-2 KB of word salad (the same word list as bench/lua/runs.lua), so
-- that pgbench writes payloads of the same size and compressibility as the HTTP paths without
-- generating text inside the measured statement.
-- The pgbench runs go to a project of their own, created here because runs.project_id is a foreign key.

create table bench_text (id int primary key, body text not null);

insert into bench_text (id, body)
select i, (
    -- Correlated with the outer row (words), so it is evaluated once per text.
    select string_agg(w.list[1 + floor(random() * array_length(w.list, 1))::int]
                      || case when random() < 0.09 then '.' when random() < 0.06 then ',' else '' end, ' ')
    from generate_series(1, words),
         (select string_to_array(
            'the a of to and in is for on with that this it as was be by are from or at not an have we you ' ||
            'they can will if when which their there about after before between into account answer api ' ||
            'archive billing browser cache certificate change checkout client cluster column config ' ||
            'connection context customer dashboard database deadline deploy document download email endpoint ' ||
            'error event export failure feature field file filter folder graph guide header history import ' ||
            'incident index invoice issue job key latency layout license limit log login message metric ' ||
            'migration mobile model network notification order owner package page password payment permission ' ||
            'pipeline plan policy project prompt query queue quota record refund region release report ' ||
            'request response result retry role schedule schema search server service shift setting ' ||
            'shipment signature snapshot storage subscription summary support table task team template ticket ' ||
            'timeout token trace upload user version warehouse webhook window workflow workspace failed ' ||
            'returned expired updated created deleted blocked retried scheduled reported opened closed merged ' ||
            'approved rejected missing slow new old large small monthly nightly daily weekly internal ' ||
            'external primary secondary please check explain why how what should could would again yesterday ' ||
            'today tomorrow last next every only still already never', ' ') as list) as w)
from (select i, 150 + floor(random() * 130)::int as words from generate_series(1, 1000) as i) as n;

analyze bench_text;

insert into projects (id, tenant_id, name)
values ('00000000-0000-0000-0000-00000000b001', '00000000-0000-0000-0000-000000000001', 'bench-pgbench');
