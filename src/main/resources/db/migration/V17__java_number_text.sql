-- Numbers written as the gateway's Java code writes them, for the statements that write their answer
-- as JSON themselves (store/JavaText). Most values take a short expression inline (a latency, a score,
-- a cost: PostgreSQL's own text is Java's); these functions take the rest. They are PL/pgSQL so that
-- they are not inlined: a statement that may need them carries one call, not the layout written out,
-- and PostgreSQL parses and plans their bodies once per connection instead of in every statement.

-- Double.toString(v): PostgreSQL's shortest exact digits (extra_float_digits >= 1, as the client
-- sets it), plain with at least one decimal from 10^-3 up to 10^7, else d.dddEn.
create function java_double_text(v float8) returns text
    language plpgsql immutable strict parallel safe as $$
declare
    pg text := v::text;
    sign text := case when left(pg, 1) = '-' then '-' else '' end;
    unsigned text := ltrim(pg, '-');
    digits text; -- the significant digits d1 d2 ...: v is d1.d2... x 10^e
    e int;
begin
    if unsigned in ('NaN', 'Infinity') then
        return pg;
    elsif v = 0 then
        return sign || '0.0';
    elsif unsigned like '%e%' then
        digits := replace(split_part(unsigned, 'e', 1), '.', '');
        e := split_part(unsigned, 'e', 2)::int;
    elsif split_part(unsigned, '.', 1) <> '0' then
        digits := replace(unsigned, '.', '');
        e := length(split_part(unsigned, '.', 1)) - 1;
    else
        digits := ltrim(split_part(unsigned, '.', 2), '0');
        e := length(digits) - length(split_part(unsigned, '.', 2)) - 1;
    end if;
    digits := rtrim(digits, '0');
    if abs(v) >= 0.001 and abs(v) < 10000000 then
        if e >= 0 then
            return sign || rpad(digits, e + 1, '0') || '.' || coalesce(nullif(substr(digits, e + 2), ''), '0');
        end if;
        return sign || '0.' || repeat('0', -e - 1) || digits;
    end if;
    return sign || left(digits, 1) || '.' || coalesce(nullif(substr(digits, 2), ''), '0') || 'E' || e;
end
$$;

-- A double as the general path's JSON writes it, BigDecimal.valueOf(v).toString(): the digits of
-- Double.toString, plain while the exponent is -6 or more and the digits reach the point (0.00050,
-- 12345678.5), else d.dddE+n / d.dddE-n.
create function java_double_json(v float8) returns json
    language plpgsql immutable strict parallel safe as $$
declare
    java text := java_double_text(v);
    sign text := case when left(java, 1) = '-' then '-' else '' end;
    mantissa text := ltrim(split_part(java, 'E', 1), '-');
    digits text := replace(mantissa, '.', '');
    fraction int := length(split_part(mantissa, '.', 2));
    e int;
begin
    if v = 0 then
        return '0.0'::json; -- BigDecimal has no negative zero
    elsif java not like '%E%' then
        return java::json;
    end if;
    e := split_part(java, 'E', 2)::int;
    if e between -6 and -1 then
        return (sign || '0.' || repeat('0', -e - 1) || digits)::json;
    elsif e >= 0 and fraction > e then
        return (sign || left(digits, e + 1) || '.' || substr(digits, e + 2))::json;
    elsif e >= 0 and fraction = e then
        return (sign || digits)::json;
    end if;
    return (sign || mantissa || 'E' || case when e > 0 then '+' else '' end || e)::json;
end
$$;

-- A numeric as BigDecimal.toString() writes it: PostgreSQL's text while the exponent is -6 or more,
-- else d.dddE-n (0E-8 for a zero of scale 8).
create function java_decimal_json(v numeric) returns json
    language plpgsql immutable strict parallel safe as $$
declare
    digits text := ltrim(replace(abs(v)::text, '.', ''), '0');
begin
    if v = 0 then
        return (case when scale(v) <= 6 then v::text else '0E-' || scale(v) end)::json;
    elsif abs(v) >= 0.000001 then
        return v::text::json;
    end if;
    return (case when v < 0 then '-' else '' end || left(digits, 1)
            || case when length(digits) > 1 then '.' || substr(digits, 2) else '' end
            || 'E' || (length(digits) - 1 - scale(v)))::json;
end
$$;
