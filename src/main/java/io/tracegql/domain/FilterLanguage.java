package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tracegql.domain.RunFilter.Op;

/**
 * LangSmith's run filter language: a filter is one condition, or {@code and(...)} / {@code or(...)}
 * of filters, and a condition is a comparator applied to a field and a value. For example
 *
 * <pre>{@code and(eq(run_type, "llm"), gt(latency, "5s"), has(tags, "prod"))}</pre>
 *
 * <p>Supported comparators per field (the table is {@link RunFilterField}):
 *
 * <ul>
 *   <li>{@code id}: eq, in (UUIDs)
 *   <li>{@code trace_id}, {@code parent_run_id}, {@code session_id}, {@code project_id}: eq (UUID;
 *       session_id and project_id are the same)
 *   <li>{@code is_root}, {@code error}: eq, neq (true or false; {@code error} asks whether the run
 *       failed)
 *   <li>{@code run_type}, {@code status}: eq, neq, in (names, case-insensitive)
 *   <li>{@code name}: eq
 *   <li>{@code tags}: has (the run carries the tag), in (the run carries at least one of them)
 *   <li>{@code start_time}: gt, gte, lt, lte (ISO-8601 with offset, e.g. "2024-05-01T00:00:00Z")
 *   <li>{@code latency}: gt, gte, lt, lte (seconds as a number, or "250ms", "1.5s", "2m", "1h")
 *   <li>{@code total_tokens}: gt, gte, lt, lte (whole number)
 *   <li>{@code total_cost}: gt, gte, lt, lte (number)
 *   <li>{@code metadata_key}, {@code metadata_value}: eq, as a pair inside the same {@code and(...)}
 *   <li>{@code feedback_key}: eq; {@code feedback_score}: eq, gt, gte, lt, lte, only next to a
 *       feedback_key in the same {@code and(...)}
 * </ul>
 *
 * <p>{@code search("text")} takes no field: it matches runs whose inputs, outputs or error contain
 * the words of the text (web-search syntax: "quoted phrases", -excluded words, or).
 *
 * <p>Strict bounds: {@code start_time} and {@code total_tokens} are exact, because timestamps are
 * stored to the microsecond and token counts are whole numbers. On {@code latency}, {@code
 * total_cost} and {@code feedback_score}, {@code gt} and {@code lt} are read as {@code gte} and
 * {@code lte}: the bound itself matches, nothing is nudged.
 *
 * <p>The text becomes a {@link RunFilter} tree, one node per {@code and(...)}, {@code or(...)} and
 * condition, and is then held to {@link RunFilterRules}, the rules of every run filter.
 */
public final class FilterLanguage {

    private static final String SUPPORTED_COMPARATORS = "eq, neq, gt, gte, lt, lte, has, in, search, and, or";
    private static final String EXAMPLE = "eq(run_type, \"llm\")";
    private static final String EXAMPLE_UUID = "1b64098b-4ab7-43f6-afee-992304f198d8";
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private FilterLanguage() {}

    /**
     * Parses a filter such as {@code and(eq(run_type, "llm"), gt(latency, "5s"))}: {@code and(...)}
     * becomes {@link RunFilter.All}, {@code or(...)} {@link RunFilter.Any}, and each condition one
     * node, except that a metadata key and value, and a feedback key with its score bounds, side by
     * side in one {@code and(...)} become one {@link RunFilter.Metadata} or {@link
     * RunFilter.Feedback}.
     *
     * @throws InvalidFilterException when the text is not a supported filter; the message names the
     *     problem, its character position (counted from 0) and what is supported instead
     */
    public static RunFilter parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidFilterException(
                    "empty filter at position 0: expected a condition such as " + EXAMPLE
                            + ", or and(...) / or(...) of conditions",
                    0);
        }
        if (text.length() > RunFilterRules.MAX_EXPRESSION_LENGTH) {
            throw new InvalidFilterException(
                    "the filter is " + text.length() + " characters long; at most "
                            + RunFilterRules.MAX_EXPRESSION_LENGTH + " are accepted",
                    RunFilterRules.MAX_EXPRESSION_LENGTH);
        }
        Expr expr = new Parser(text, new Lexer(text).tokens()).filter();
        Translator translator = new Translator();
        RunFilter filter = translator.translate(expr);
        try {
            return RunFilterRules.check(
                    filter, node -> translator.location(node).description());
        } catch (RunFilterRules.InvalidRunFilterException e) {
            throw new InvalidFilterException(
                    e.getMessage(), translator.location(e.node()).position());
        }
    }

    /** A filter text that cannot be parsed or is not supported; {@link #position()} is 0-based. */
    public static final class InvalidFilterException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final int position;

        public InvalidFilterException(String message, int position) {
            super(message);
            this.position = position;
        }

        /** Character offset in the filter text, counted from 0, where the problem is. */
        public int position() {
            return position;
        }
    }

    private enum Kind {
        IDENTIFIER,
        STRING,
        NUMBER,
        OPEN_PAREN,
        CLOSE_PAREN,
        OPEN_BRACKET,
        CLOSE_BRACKET,
        COMMA,
        END
    }

    /** {@code text} is the name, the decoded string or the number as written. */
    private record Token(Kind kind, String text, int position) {

        String describe() {
            return switch (kind) {
                case IDENTIFIER -> "'" + text + "'";
                case STRING -> "the string " + quote(text);
                case NUMBER -> "the number " + text;
                case OPEN_PAREN -> "'('";
                case CLOSE_PAREN -> "')'";
                case OPEN_BRACKET -> "'['";
                case CLOSE_BRACKET -> "']'";
                case COMMA -> "','";
                case END -> "the end of the filter";
            };
        }
    }

    private static final class Lexer {
        private final String text;
        private final List<Token> tokens = new ArrayList<>();
        private int at;

        Lexer(String text) {
            this.text = text;
        }

        List<Token> tokens() {
            while (true) {
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                if (at >= text.length()) {
                    tokens.add(new Token(Kind.END, "", text.length()));
                    return tokens;
                }
                char c = text.charAt(at);
                switch (c) {
                    case '(' -> single(Kind.OPEN_PAREN);
                    case ')' -> single(Kind.CLOSE_PAREN);
                    case '[' -> single(Kind.OPEN_BRACKET);
                    case ']' -> single(Kind.CLOSE_BRACKET);
                    case ',' -> single(Kind.COMMA);
                    case '"', '\'' -> string(c);
                    default -> {
                        if (c == '-' || isDigit(c)) {
                            number();
                        } else if (Character.isLetter(c) || c == '_') {
                            identifier();
                        } else {
                            throw new InvalidFilterException(
                                    "unexpected character " + describeChar(c) + " at position " + at
                                            + ": a filter is made of conditions such as " + EXAMPLE
                                            + " joined with and(...) and or(...); quote text values",
                                    at);
                        }
                    }
                }
            }
        }

        private void single(Kind kind) {
            tokens.add(new Token(kind, String.valueOf(text.charAt(at)), at));
            at++;
        }

        private void identifier() {
            int start = at;
            while (at < text.length() && isIdentifierPart(text.charAt(at))) {
                at++;
            }
            tokens.add(new Token(Kind.IDENTIFIER, text.substring(start, at), start));
        }

        private void number() {
            int start = at;
            if (text.charAt(at) == '-') {
                at++;
            }
            if (!digits()) {
                throw new InvalidFilterException(
                        "malformed number at position " + start + ": expected digits after '-'", start);
            }
            if (at < text.length() && text.charAt(at) == '.') {
                at++;
                if (!digits()) {
                    throw new InvalidFilterException(
                            "malformed number at position " + start + ": expected digits after '.'", start);
                }
            }
            if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
                int exponent = at;
                at++;
                if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                    at++;
                }
                if (!digits()) {
                    throw new InvalidFilterException(
                            "malformed number at position " + start + ": expected digits after the exponent at"
                                    + " position " + exponent,
                            start);
                }
            }
            if (at < text.length() && isIdentifierPart(text.charAt(at))) {
                int end = at;
                while (end < text.length() && isIdentifierPart(text.charAt(end))) {
                    end++;
                }
                String written = text.substring(start, end);
                throw new InvalidFilterException(
                        "number at position " + start + " runs into '" + text.substring(at, end)
                                + "': durations and other text with units are quoted strings, e.g. "
                                + quote(written),
                        start);
            }
            tokens.add(new Token(Kind.NUMBER, text.substring(start, at), start));
        }

        private boolean digits() {
            int start = at;
            while (at < text.length() && isDigit(text.charAt(at))) {
                at++;
            }
            return at > start;
        }

        private void string(char quote) {
            int start = at;
            at++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw new InvalidFilterException(
                            "unterminated string starting at position " + start + ": add the closing " + quote, start);
                }
                char c = text.charAt(at);
                if (c == quote) {
                    at++;
                    tokens.add(new Token(Kind.STRING, value.toString(), start));
                    return;
                }
                if (c != '\\') {
                    value.append(c);
                    at++;
                    continue;
                }
                int escape = at;
                if (escape + 1 >= text.length()) {
                    throw new InvalidFilterException(
                            "unterminated string starting at position " + start + ": add the closing " + quote, start);
                }
                char next = text.charAt(escape + 1);
                at = escape + 2;
                switch (next) {
                    case '"', '\'', '\\', '/' -> value.append(next);
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> value.append(unicodeEscape(escape));
                    default ->
                        throw new InvalidFilterException(
                                "unknown escape '\\" + next + "' at position " + escape + " in the string starting at"
                                        + " position " + start + "; supported escapes: \\\", \\', \\\\, \\/, \\b,"
                                        + " \\f, \\n, \\r, \\t, \\uXXXX",
                                escape);
                }
            }
        }

        private char unicodeEscape(int escape) {
            int end = escape + 6;
            if (end <= text.length()) {
                String hex = text.substring(escape + 2, end);
                if (hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                    at = end;
                    return (char) Integer.parseInt(hex, 16);
                }
            }
            throw new InvalidFilterException(
                    "malformed escape at position " + escape + ": \\u must be followed by four hex digits,"
                            + " e.g. \\u00e9",
                    escape);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isIdentifierPart(char c) {
            // Dots are kept so that "metadata.env" reads as one (unsupported) field with a useful hint.
            return Character.isLetterOrDigit(c) || c == '_' || c == '.';
        }
    }

    private sealed interface Expr permits Logical, Comparison, Search {}

    /** {@code search("text")}: a full-text condition, which names no field. */
    private record Search(int position, String text) implements Expr {}

    private record Logical(String operator, int position, List<Expr> operands) implements Expr {}

    /** {@code source} is the condition as written, for messages that name two conditions. */
    private record Comparison(
            String comparator, int position, String field, int fieldPosition, Value value, String source)
            implements Expr {

        String at() {
            return source + " at position " + position;
        }
    }

    private enum ValueKind {
        STRING,
        NUMBER,
        TRUE,
        FALSE,
        NULL,
        LIST
    }

    private record Value(ValueKind kind, String text, List<Value> items, int position) {

        String describe() {
            return switch (kind) {
                case STRING -> "the string " + quote(text);
                case NUMBER -> "the number " + text;
                case TRUE -> "true";
                case FALSE -> "false";
                case NULL -> "null";
                case LIST -> "a list";
            };
        }
    }

    private static final class Parser {
        private final String text;
        private final List<Token> tokens;
        private int index;

        Parser(String text, List<Token> tokens) {
            this.text = text;
            this.tokens = tokens;
        }

        Expr filter() {
            Expr expr = expression(1);
            Token rest = peek();
            if (rest.kind() != Kind.END) {
                String hint = rest.kind() == Kind.CLOSE_PAREN
                        ? " (one ')' too many?)"
                        : "; combine conditions with and(...) or or(...)";
                throw new InvalidFilterException(
                        "unexpected " + rest.describe() + " at position " + rest.position()
                                + " after the end of the filter" + hint,
                        rest.position());
            }
            return expr;
        }

        private Expr expression(int depth) {
            Token name = next();
            if (name.kind() != Kind.IDENTIFIER || peek().kind() != Kind.OPEN_PAREN) {
                if (name.kind() == Kind.IDENTIFIER && isOperator(name.text())) {
                    throw new InvalidFilterException(
                            "expected '(' after '" + name.text() + "' at position " + peek().position() + " but found "
                                    + peek().describe(),
                            peek().position());
                }
                throw new InvalidFilterException(
                        "expected a condition such as " + EXAMPLE + " at position " + name.position() + " but found "
                                + name.describe(),
                        name.position());
            }
            Token open = next();
            return switch (name.text()) {
                case "and", "or" -> logical(name, open, depth);
                case "eq", "neq", "gt", "gte", "lt", "lte", "has", "in" -> comparison(name, open);
                case "search" -> search(name, open);
                default -> {
                    String lower = name.text().toLowerCase(Locale.ROOT);
                    String hint = isOperator(lower) ? " (write it in lower case: " + lower + ")" : "";
                    throw new InvalidFilterException(
                            "unsupported comparator '" + name.text() + "' at position " + name.position()
                                    + "; supported: " + SUPPORTED_COMPARATORS + hint,
                            name.position());
                }
            };
        }

        private Expr logical(Token name, Token open, int depth) {
            if (depth > RunFilterRules.MAX_TREE_DEPTH) {
                throw new InvalidFilterException(
                        RunFilterRules.tooDeep(name.text() + "(...) at position " + name.position()), name.position());
            }
            if (peek().kind() == Kind.CLOSE_PAREN) {
                throw new InvalidFilterException(
                        name.text() + "(...) at position " + name.position()
                                + " is empty: it needs at least one condition, e.g. " + name.text() + "(" + EXAMPLE
                                + ")",
                        name.position());
            }
            List<Expr> operands = new ArrayList<>();
            while (true) {
                operands.add(expression(depth + 1));
                Token separator = next();
                if (separator.kind() == Kind.CLOSE_PAREN) {
                    return new Logical(name.text(), name.position(), List.copyOf(operands));
                }
                if (separator.kind() != Kind.COMMA) {
                    throw unclosed(name, open, separator, "',' or ')'");
                }
            }
        }

        private Expr comparison(Token name, Token open) {
            String comparator = name.text();
            Token field = next();
            if (field.kind() != Kind.IDENTIFIER) {
                String hint = field.kind() == Kind.STRING ? "; field names are not quoted" : "";
                throw new InvalidFilterException(
                        "expected a field name as the first argument of " + comparator + "(...) at position "
                                + field.position() + " but found " + field.describe() + hint + "; fields: "
                                + RunFilterField.supportedNames(),
                        field.position());
            }
            Token comma = next();
            if (comma.kind() == Kind.CLOSE_PAREN) {
                throw new InvalidFilterException(
                        comparator + "(...) at position " + name.position()
                                + " needs a field and a value, e.g. " + comparator + "(" + field.text()
                                + ", ...); found ')' at position " + comma.position(),
                        comma.position());
            }
            if (comma.kind() != Kind.COMMA) {
                throw unclosed(name, open, comma, "',' after the field name");
            }
            Value value = value(false);
            Token close = next();
            if (close.kind() == Kind.COMMA) {
                throw new InvalidFilterException(
                        comparator + "(...) at position " + name.position()
                                + " takes exactly two arguments, a field and a value, but a third follows at position "
                                + close.position() + "; use in(field, [...]) to match several values",
                        close.position());
            }
            if (close.kind() != Kind.CLOSE_PAREN) {
                throw unclosed(name, open, close, "')'");
            }
            String source = text.substring(name.position(), close.position() + 1);
            return new Comparison(comparator, name.position(), field.text(), field.position(), value, source);
        }

        private Expr search(Token name, Token open) {
            Token text = next();
            if (text.kind() != Kind.STRING) {
                String hint = text.kind() == Kind.IDENTIFIER ? "; search takes no field, only the text" : "";
                throw new InvalidFilterException(
                        "expected the text to search for, a quoted string such as search(\"timeout\"), at position "
                                + text.position() + " but found " + text.describe() + hint,
                        text.position());
            }
            Token close = next();
            if (close.kind() != Kind.CLOSE_PAREN) {
                throw unclosed(name, open, close, "')'");
            }
            return new Search(name.position(), text.text());
        }

        private Value value(boolean inList) {
            Token token = next();
            return switch (token.kind()) {
                case STRING -> new Value(ValueKind.STRING, token.text(), List.of(), token.position());
                case NUMBER -> new Value(ValueKind.NUMBER, token.text(), List.of(), token.position());
                case OPEN_BRACKET -> {
                    if (inList) {
                        throw new InvalidFilterException(
                                "nested list at position " + token.position() + ": lists cannot contain lists",
                                token.position());
                    }
                    yield list(token);
                }
                case IDENTIFIER ->
                    switch (token.text()) {
                        case "true" -> new Value(ValueKind.TRUE, "true", List.of(), token.position());
                        case "false" -> new Value(ValueKind.FALSE, "false", List.of(), token.position());
                        case "null" -> new Value(ValueKind.NULL, "null", List.of(), token.position());
                        default ->
                            throw new InvalidFilterException(
                                    "expected a value at position " + token.position() + " but found "
                                            + token.describe() + ": quote text values, e.g. " + quote(token.text()),
                                    token.position());
                    };
                default ->
                    throw new InvalidFilterException(
                            "expected a value (a quoted string, a number, true, false or a [list]) at position "
                                    + token.position() + " but found " + token.describe(),
                            token.position());
            };
        }

        private Value list(Token open) {
            List<Value> items = new ArrayList<>();
            if (peek().kind() == Kind.CLOSE_BRACKET) {
                next();
                return new Value(ValueKind.LIST, "", List.of(), open.position());
            }
            while (true) {
                items.add(value(true));
                Token separator = next();
                if (separator.kind() == Kind.CLOSE_BRACKET) {
                    return new Value(ValueKind.LIST, "", List.copyOf(items), open.position());
                }
                if (separator.kind() != Kind.COMMA) {
                    if (separator.kind() == Kind.END) {
                        throw new InvalidFilterException(
                                "missing ']' to close the list opened at position " + open.position()
                                        + ": reached the end of the filter at position " + separator.position(),
                                separator.position());
                    }
                    throw new InvalidFilterException(
                            "expected ',' or ']' in the list opened at position " + open.position() + " but found "
                                    + separator.describe() + " at position " + separator.position(),
                            separator.position());
                }
            }
        }

        private InvalidFilterException unclosed(Token name, Token open, Token found, String expected) {
            if (found.kind() == Kind.END) {
                return new InvalidFilterException(
                        "missing ')' to close '" + name.text() + "(' opened at position " + open.position()
                                + ": reached the end of the filter at position " + found.position(),
                        found.position());
            }
            return new InvalidFilterException(
                    "expected " + expected + " in " + name.text() + "(...) at position " + found.position()
                            + " but found " + found.describe(),
                    found.position());
        }

        private Token next() {
            Token token = tokens.get(index);
            if (token.kind() != Kind.END) {
                index++;
            }
            return token;
        }

        private Token peek() {
            return tokens.get(index);
        }

        private static boolean isOperator(String name) {
            return switch (name) {
                case "and", "or", "eq", "neq", "gt", "gte", "lt", "lte", "has", "in", "search" -> true;
                default -> false;
            };
        }
    }

    /** Where a node of the tree came from: how messages name it, and the position they point at. */
    private record Location(String description, int position) {}

    /**
     * Turns the parsed expression into a {@link RunFilter}, one node per and/or and per condition,
     * remembering where each node came from. Pairs (metadata key and value, feedback key and score)
     * only make sense side by side in one {@code and(...)}, so they are resolved per level.
     */
    private static final class Translator {
        private final Map<RunFilter, Location> locations = new IdentityHashMap<>();

        RunFilter translate(Expr expr) {
            if (expr instanceof Logical logical) {
                if (logical.operator().equals("or")) {
                    RunFilter any = new RunFilter.Any(
                            logical.operands().stream().map(this::translate).toList());
                    return at(any, "or(...) at position " + logical.position(), logical.position());
                }
                List<RunFilter> filters = level(logical.operands());
                if (filters.size() == 1 && logical.operands().size() > 1) {
                    // Only a metadata or feedback pair, which has to be written inside an and(...).
                    return filters.get(0);
                }
                RunFilter group = new RunFilter.All(filters);
                return at(group, logical.operator() + "(...) at position " + logical.position(), logical.position());
            }
            // A condition on its own is a level of one: a metadata or feedback pair cannot be completed.
            return level(List.of(expr)).get(0);
        }

        Location location(RunFilter node) {
            return locations.get(node);
        }

        private <T extends RunFilter> T at(T node, Comparison c) {
            return at(node, shorten(c.source()) + " at position " + c.position(), c.position());
        }

        private <T extends RunFilter> T at(T node, String description, int position) {
            locations.put(node, new Location(description, position));
            return node;
        }

        /** The filters of one and(...), in the order written; a pair takes the place of its first part. */
        private List<RunFilter> level(List<Expr> operands) {
            Pairs pairs = new Pairs();
            List<RunFilter> filters = new ArrayList<>();
            for (Expr operand : operands) {
                if (operand instanceof Comparison c && pairs.add(c)) {
                    if (pairs.placed < 0) {
                        pairs.placed = filters.size();
                    }
                } else if (operand instanceof Comparison c) {
                    filters.add(condition(c));
                } else if (operand instanceof Search search) {
                    filters.add(at(
                            new RunFilter.Search(search.text()),
                            shorten("search(" + quote(search.text()) + ")") + " at position " + search.position(),
                            search.position()));
                } else {
                    filters.add(translate(operand));
                }
            }
            List<RunFilter> resolved = pairs.resolve(this);
            if (!resolved.isEmpty()) {
                filters.addAll(pairs.placed, resolved);
            }
            return filters;
        }

        private RunFilter condition(Comparison c) {
            RunFilterField field = RunFilterField.named(c.field());
            if (field == null) {
                throw unknownField(c);
            }
            if (!field.comparators().contains(c.comparator())) {
                throw new InvalidFilterException(
                        "comparator '" + c.comparator() + "' is not supported for field '" + c.field()
                                + "' at position " + c.position() + "; " + c.field() + " supports: "
                                + String.join(", ", field.comparators()) + comparatorHint(c),
                        c.position());
            }
            String comparator = c.comparator();
            return at(
                    switch (field) {
                        case ID ->
                            comparator.equals("in")
                                    ? compare(field, Op.IN, each(c, FilterLanguage::uuid))
                                    : compare(field, Op.EQ, uuid(c));
                        case TRACE_ID, PARENT_RUN_ID, PROJECT_ID -> compare(field, Op.EQ, uuid(c));
                        case IS_ROOT, ERROR -> compare(field, Op.EQ, bool(c) ^ comparator.equals("neq"));
                        case RUN_TYPE -> oneOf(c, field, RunType.values(), RunType::fromWireName, RunType::wireName);
                        case STATUS ->
                            oneOf(c, field, RunStatus.values(), RunStatus::fromWireName, RunStatus::wireName);
                        case NAME, THREAD_ID -> compare(field, Op.EQ, string(c, c.value(), "a quoted string"));
                        case TAGS ->
                            comparator.equals("has")
                                    ? compare(
                                            field,
                                            Op.HAS,
                                            string(
                                                    c,
                                                    c.value(),
                                                    "a quoted tag; use in(tags, [...]) for any of several"))
                                    : compare(field, Op.IN, each(c, (cond, v) -> string(cond, v, "a quoted tag")));
                        case START_TIME -> startTime(c);
                        case LATENCY -> compare(field, isLower(c) ? Op.GTE : Op.LTE, seconds(c));
                        case TOTAL_TOKENS -> totalTokens(c);
                        case TOTAL_COST ->
                            compare(field, isLower(c) ? Op.GTE : Op.LTE, decimal(c, "a number such as 0.01"));
                        default -> throw new IllegalStateException("paired field " + field);
                    },
                    c);
        }

        /** Bounds are exact: runs are stored to the microsecond, so a strict bound moves to the next instant. */
        private static RunFilter startTime(Comparison c) {
            OffsetDateTime time = timestamp(c);
            OffsetDateTime floor = time.truncatedTo(ChronoUnit.MICROS);
            OffsetDateTime ceiling = floor.equals(time) ? time : floor.plus(1, ChronoUnit.MICROS);
            OffsetDateTime next = floor.plus(1, ChronoUnit.MICROS);
            return switch (c.comparator()) {
                case "gt" -> compare(RunFilterField.START_TIME, Op.GTE, next);
                case "gte" -> compare(RunFilterField.START_TIME, Op.GTE, ceiling);
                case "lt" -> compare(RunFilterField.START_TIME, Op.LT, ceiling);
                default -> compare(RunFilterField.START_TIME, Op.LT, next);
            };
        }

        /** Token counts are whole numbers, so a strict bound is the next whole number. */
        private static RunFilter totalTokens(Comparison c) {
            long tokens = wholeNumber(c);
            try {
                return switch (c.comparator()) {
                    case "gt" -> compare(RunFilterField.TOTAL_TOKENS, Op.GTE, Math.addExact(tokens, 1));
                    case "gte" -> compare(RunFilterField.TOTAL_TOKENS, Op.GTE, tokens);
                    case "lt" -> compare(RunFilterField.TOTAL_TOKENS, Op.LTE, Math.subtractExact(tokens, 1));
                    default -> compare(RunFilterField.TOTAL_TOKENS, Op.LTE, tokens);
                };
            } catch (ArithmeticException e) {
                throw tooLarge(c);
            }
        }
    }

    private static RunFilter.Compare compare(RunFilterField field, Op op, Object value) {
        return new RunFilter.Compare(field, op, value);
    }

    /** The metadata and feedback parts of one and(...), which become one condition each. */
    private static final class Pairs {
        private Comparison metadataKey;
        private Comparison metadataValue;
        private Comparison feedbackKey;
        private Comparison scoreLower;
        private Comparison scoreUpper;
        private double minScore;
        private double maxScore;
        /** Where in the level's filters the pairs go: at the first part written. */
        private int placed = -1;

        /** Takes the condition when it is part of a pair; false when it is a condition of its own. */
        boolean add(Comparison c) {
            switch (c.field()) {
                case "metadata_key", "metadata_value", "feedback_key", "feedback_score" -> {}
                default -> {
                    return false;
                }
            }
            List<String> comparators = RunFilterField.named(c.field()).comparators();
            if (!comparators.contains(c.comparator())) {
                throw new InvalidFilterException(
                        "comparator '" + c.comparator() + "' is not supported for field '" + c.field()
                                + "' at position " + c.position() + "; " + c.field() + " supports: "
                                + String.join(", ", comparators) + comparatorHint(c),
                        c.position());
            }
            switch (c.field()) {
                case "metadata_key" -> {
                    onlyOnce(metadataKey, c, "metadata_key");
                    string(c, c.value(), "a quoted metadata key");
                    metadataKey = c;
                }
                case "metadata_value" -> {
                    onlyOnce(metadataValue, c, "metadata_value");
                    string(c, c.value(), "a quoted string (metadata values are matched as text)");
                    metadataValue = c;
                }
                case "feedback_key" -> {
                    onlyOnce(feedbackKey, c, "feedback_key");
                    string(c, c.value(), "a quoted feedback key");
                    feedbackKey = c;
                }
                default -> feedbackScore(c);
            }
            return true;
        }

        private void feedbackScore(Comparison c) {
            double score = finite(c, decimal(c, "a number such as 0.5").doubleValue());
            boolean lower = c.comparator().equals("eq") || isLower(c);
            boolean upper = c.comparator().equals("eq") || !isLower(c);
            // A second bound cannot go into a filter of its own: it would lose its feedback_key.
            if (lower && scoreLower != null || upper && scoreUpper != null) {
                Comparison earlier = lower && scoreLower != null ? scoreLower : scoreUpper;
                throw new InvalidFilterException(
                        "second bound on feedback_score at position " + c.position() + ": " + earlier.at()
                                + " already bounds it in the same and(...); give at most one lower (gt, gte) and one"
                                + " upper (lt, lte) bound, or a single eq",
                        c.position());
            }
            if (lower) {
                minScore = score;
                scoreLower = c;
            }
            if (upper) {
                maxScore = score;
                scoreUpper = c;
            }
        }

        private static void onlyOnce(Comparison earlier, Comparison c, String field) {
            if (earlier != null) {
                throw new InvalidFilterException(
                        "second " + field + " at position " + c.position() + ": " + earlier.at()
                                + " is already in the same and(...); match one metadata or feedback pair per and(...)"
                                + " and nest more, e.g. and(and(eq(metadata_key, \"a\"), eq(metadata_value, \"1\")),"
                                + " and(eq(metadata_key, \"b\"), eq(metadata_value, \"2\")))",
                        c.position());
            }
        }

        /** The metadata and feedback conditions, in the order their first parts were written. */
        List<RunFilter> resolve(Translator translator) {
            if (metadataKey != null && metadataValue == null) {
                throw new InvalidFilterException(
                        "metadata_key without metadata_value at position " + metadataKey.position()
                                + ": add eq(metadata_value, \"...\") in the same and(...), e.g. and("
                                + metadataKey.source() + ", eq(metadata_value, \"prod\"))",
                        metadataKey.position());
            }
            if (metadataValue != null && metadataKey == null) {
                throw new InvalidFilterException(
                        "metadata_value without metadata_key at position " + metadataValue.position()
                                + ": add eq(metadata_key, \"...\") in the same and(...), e.g. and(eq(metadata_key,"
                                + " \"env\"), " + metadataValue.source() + ")",
                        metadataValue.position());
            }
            if (feedbackKey == null && (scoreLower != null || scoreUpper != null)) {
                Comparison score = scoreLower != null ? scoreLower : scoreUpper;
                throw new InvalidFilterException(
                        "feedback_score without feedback_key at position " + score.position()
                                + ": add eq(feedback_key, \"...\") in the same and(...), e.g. and(eq(feedback_key,"
                                + " \"correctness\"), " + score.source() + ")",
                        score.position());
            }
            List<RunFilter> filters = new ArrayList<>(2);
            RunFilter metadata = null;
            if (metadataKey != null) {
                metadata = translator.at(
                        new RunFilter.Metadata(
                                metadataKey.value().text(),
                                metadataValue.value().text()),
                        metadataValue);
            }
            RunFilter feedback = null;
            if (feedbackKey != null) {
                List<RunFilter.Compare> score = new ArrayList<>(2);
                if (scoreLower != null) {
                    score.add(translator.at(compare(RunFilterField.FEEDBACK_SCORE, Op.GTE, minScore), scoreLower));
                }
                if (scoreUpper != null) {
                    // In the order written, so that a message about both names them in that order.
                    int at = scoreLower != null && scoreLower.position() > scoreUpper.position() ? 0 : score.size();
                    score.add(at, translator.at(compare(RunFilterField.FEEDBACK_SCORE, Op.LTE, maxScore), scoreUpper));
                }
                feedback =
                        translator.at(new RunFilter.Feedback(feedbackKey.value().text(), score), feedbackKey);
            }
            boolean metadataFirst = metadata != null
                    && (feedback == null
                            || Math.min(metadataKey.position(), metadataValue.position()) < feedbackKey.position());
            if (metadataFirst) {
                filters.add(metadata);
            }
            if (feedback != null) {
                filters.add(feedback);
            }
            if (metadata != null && !metadataFirst) {
                filters.add(metadata);
            }
            return filters;
        }
    }

    /** A condition's source for a message, cut short when a long value would drown the message. */
    private static String shorten(String source) {
        return source.length() <= 80 ? source : source.substring(0, 76) + "...)";
    }

    private static boolean isLower(Comparison c) {
        return c.comparator().equals("gt") || c.comparator().equals("gte");
    }

    private static String string(Comparison c, Value value, String expected) {
        if (value.kind() != ValueKind.STRING) {
            throw wrongValue(c, value, expected);
        }
        return value.text();
    }

    private static boolean bool(Comparison c) {
        return switch (c.value().kind()) {
            case TRUE -> true;
            case FALSE -> false;
            default -> throw wrongValue(c, c.value(), "true or false");
        };
    }

    private static UUID uuid(Comparison c) {
        return uuid(c, c.value());
    }

    private static UUID uuid(Comparison c, Value value) {
        String expected = "a quoted UUID such as \"" + EXAMPLE_UUID + "\"";
        String text = string(c, value, expected);
        if (!UUID_TEXT.matcher(text).matches()) {
            throw wrongValue(c, value, expected);
        }
        return UUID.fromString(text);
    }

    /** The values of {@code in(field, [...])}, each checked with its own position. */
    private static <T> List<T> each(Comparison c, ValueReader<T> reader) {
        Value list = c.value();
        if (list.kind() != ValueKind.LIST) {
            throw wrongValue(c, list, "a list such as [\"a\", \"b\"]; use eq(" + c.field() + ", ...) for one value");
        }
        return list.items().stream().map(item -> reader.read(c, item)).toList();
    }

    @FunctionalInterface
    private interface ValueReader<T> {
        T read(Comparison c, Value value);
    }

    /** {@code eq}, {@code in} or {@code neq} over the names of an enum; neq keeps the other names. */
    private static <E extends Enum<E>> RunFilter oneOf(
            Comparison c, RunFilterField field, E[] all, Function<String, E> fromName, Function<E, String> toName) {
        String names =
                Arrays.stream(all).map(toName).reduce((a, b) -> a + ", " + b).orElse("");
        ValueReader<E> reader = (cond, value) -> {
            String name = string(cond, value, "a quoted " + cond.field() + " (" + names + ")");
            try {
                return fromName.apply(name);
            } catch (IllegalArgumentException e) {
                throw new InvalidFilterException(
                        "unknown " + cond.field() + " " + quote(name) + " at position " + value.position()
                                + "; supported: " + names,
                        value.position());
            }
        };
        return switch (c.comparator()) {
            case "in" -> compare(field, Op.IN, each(c, reader));
            case "neq" -> {
                E excluded = reader.read(c, c.value());
                yield compare(
                        field,
                        Op.IN,
                        Arrays.stream(all).filter(e -> e != excluded).toList());
            }
            default -> compare(field, Op.EQ, reader.read(c, c.value()));
        };
    }

    private static OffsetDateTime timestamp(Comparison c) {
        String expected = "a quoted ISO-8601 time with an offset, such as \"2024-05-01T00:00:00Z\"";
        String text = string(c, c.value(), expected);
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw wrongValue(c, c.value(), expected);
        }
    }

    private static double seconds(Comparison c) {
        String expected = "seconds as a number, or a quoted duration such as \"250ms\", \"5s\", \"2m\" or \"1h\"";
        Value value = c.value();
        if (value.kind() == ValueKind.NUMBER) {
            return finite(c, number(c).doubleValue());
        }
        Matcher duration = DURATION.matcher(string(c, value, expected));
        if (!duration.matches()) {
            throw wrongValue(c, value, expected);
        }
        BigDecimal unit =
                switch (duration.group(2)) {
                    case "ms" -> new BigDecimal("0.001");
                    case "s" -> BigDecimal.ONE;
                    case "m" -> BigDecimal.valueOf(60);
                    default -> BigDecimal.valueOf(3600);
                };
        return finite(c, new BigDecimal(duration.group(1)).multiply(unit).doubleValue());
    }

    private static long wholeNumber(Comparison c) {
        String expected = "a whole number such as 100";
        BigDecimal number = decimal(c, expected);
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            if (number.stripTrailingZeros().scale() > 0) {
                throw wrongValue(c, c.value(), expected);
            }
            throw tooLarge(c);
        }
    }

    private static BigDecimal decimal(Comparison c, String expected) {
        if (c.value().kind() != ValueKind.NUMBER) {
            throw wrongValue(c, c.value(), expected);
        }
        return number(c);
    }

    /** The number as written; absurd exponents are refused here rather than by the database. */
    private static BigDecimal number(Comparison c) {
        try {
            BigDecimal number = new BigDecimal(c.value().text());
            if (number.precision() - number.scale() <= RunField.MAX_DIGITS && number.scale() <= RunField.MAX_DIGITS) {
                return number;
            }
        } catch (NumberFormatException e) {
            // an exponent beyond int range; refused below
        }
        throw tooLarge(c);
    }

    private static double finite(Comparison c, double value) {
        if (Double.isInfinite(value)) {
            throw tooLarge(c);
        }
        return value;
    }

    private static InvalidFilterException wrongValue(Comparison c, Value value, String expected) {
        return new InvalidFilterException(
                "wrong value for " + c.field() + " at position " + value.position() + ": expected " + expected
                        + ", got " + value.describe(),
                value.position());
    }

    private static InvalidFilterException tooLarge(Comparison c) {
        return new InvalidFilterException(
                "number out of range for " + c.field() + " at position "
                        + c.value().position() + ": " + c.value().text(),
                c.value().position());
    }

    private static InvalidFilterException unknownField(Comparison c) {
        String hint = c.field().startsWith("metadata.")
                ? "; to match metadata write and(eq(metadata_key, \""
                        + c.field().substring("metadata.".length()) + "\"), eq(metadata_value, \"...\"))"
                : "";
        return new InvalidFilterException(
                "unknown field '" + c.field() + "' at position " + c.fieldPosition() + "; supported fields: "
                        + RunFilterField.supportedNames() + hint,
                c.fieldPosition());
    }

    private static String comparatorHint(Comparison c) {
        if (c.comparator().equals("neq")) {
            return "; neq is supported for is_root, error, run_type and status";
        }
        if (c.field().equals("tags") && c.comparator().equals("eq")) {
            return "; write has(tags, \"...\") to match one tag";
        }
        return "";
    }

    private static String describeChar(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? String.format("U+%04X", (int) c)
                : "'" + c + "'";
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
