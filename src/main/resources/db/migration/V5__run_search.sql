-- Full-text search over what a run was given, what it returned and how it failed.

-- The string values of a JSON document (keys, numbers and punctuation are not searchable), joined
-- with spaces. Capped at 32,768 characters: a tsvector holds at most 1 MB, and a run whose payload
-- would overflow it must still be stored; words past the cap are not found.
create function run_search_text(doc jsonb) returns text
    language sql immutable parallel safe
    return left(
        (select string_agg(value #>> '{}', ' ')
           from jsonb_path_query(doc, 'strict $.** ? (@.type() == "string")') as value),
        32768);

-- Generated at write time so that a search reads the GIN index instead of every payload. The 'simple'
-- configuration lower-cases words without stemming or stop words: identifiers, code and any language
-- match as written.
alter table runs add column search_vector tsvector generated always as (
    to_tsvector('simple', coalesce(run_search_text(inputs), '') || ' ' || coalesce(run_search_text(outputs), '')
        || ' ' || left(coalesce(error, ''), 32768))) stored;

-- On the vector alone: the tenant condition is applied to the few rows the index finds.
create index runs_search on runs using gin (search_vector);
