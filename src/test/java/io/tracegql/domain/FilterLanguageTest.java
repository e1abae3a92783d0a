package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.FilterLanguage.InvalidFilterException;
import io.tracegql.domain.RunFilter.All;
import io.tracegql.domain.RunFilter.Any;
import io.tracegql.domain.RunFilter.Compare;
import io.tracegql.domain.RunFilter.Feedback;
import io.tracegql.domain.RunFilter.Metadata;
import io.tracegql.domain.RunFilter.Op;
import io.tracegql.domain.RunFilter.Search;

import static io.tracegql.domain.RunFilterField.ERROR;
import static io.tracegql.domain.RunFilterField.FEEDBACK_SCORE;
import static io.tracegql.domain.RunFilterField.ID;
import static io.tracegql.domain.RunFilterField.IS_ROOT;
import static io.tracegql.domain.RunFilterField.LATENCY;
import static io.tracegql.domain.RunFilterField.NAME;
import static io.tracegql.domain.RunFilterField.PARENT_RUN_ID;
import static io.tracegql.domain.RunFilterField.PROJECT_ID;
import static io.tracegql.domain.RunFilterField.RUN_TYPE;
import static io.tracegql.domain.RunFilterField.START_TIME;
import static io.tracegql.domain.RunFilterField.STATUS;
import static io.tracegql.domain.RunFilterField.TAGS;
import static io.tracegql.domain.RunFilterField.TOTAL_COST;
import static io.tracegql.domain.RunFilterField.TOTAL_TOKENS;
import static io.tracegql.domain.RunFilterField.TRACE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilterLanguageTest {

    private static final String RUN = "1b64098b-4ab7-43f6-afee-992304f198d8";
    private static final String OTHER = "0f2d4c1e-9a6b-4e8f-8c3d-5b7a9e1f2c4d";
    private static final String FIELDS = "id, trace_id, parent_run_id, session_id, project_id, is_root, error,"
            + " run_type, status, name, thread_id, tags, start_time, latency, latency_seconds, total_tokens, total_cost, metadata_key,"
            + " metadata_value, feedback_key, feedback_score";

    private static Compare eq(RunFilterField field, Object value) {
        return new Compare(field, Op.EQ, value);
    }

    private static Compare in(RunFilterField field, Object... values) {
        return new Compare(field, Op.IN, List.of(values));
    }

    private static Compare has(String tag) {
        return new Compare(TAGS, Op.HAS, tag);
    }

    private static Compare gte(RunFilterField field, Object value) {
        return new Compare(field, Op.GTE, value);
    }

    private static Compare lt(RunFilterField field, Object value) {
        return new Compare(field, Op.LT, value);
    }

    private static Compare lte(RunFilterField field, Object value) {
        return new Compare(field, Op.LTE, value);
    }

    private static All all(RunFilter... filters) {
        return new All(List.of(filters));
    }

    private static Any any(RunFilter... filters) {
        return new Any(List.of(filters));
    }

    private static Feedback feedback(String key, Compare... score) {
        return new Feedback(key, List.of(score));
    }

    private static void assertParses(RunFilter expected, String text) {
        assertEquals(expected, FilterLanguage.parse(text), text);
    }

    private static void assertRejected(String text, int position, String message) {
        InvalidFilterException error = assertThrows(InvalidFilterException.class, () -> FilterLanguage.parse(text));
        assertEquals(message, error.getMessage(), text);
        assertEquals(position, error.position(), text);
    }

    @Nested
    class Fields {

        @Test
        void shouldParseRunTypeEqualityCaseInsensitively() {
            RunFilter llm = eq(RUN_TYPE, RunType.LLM);
            assertParses(llm, "eq(run_type, \"llm\")");
            assertParses(llm, "eq(run_type, \"LLM\")");
        }

        @Test
        void shouldParseSearchAsFullTextConditionWithoutField() {
            assertParses(new Search("timeout"), "search(\"timeout\")");
            assertParses(
                    all(eq(IS_ROOT, true), new Search("\"rate limit\" -retry")),
                    "and(eq(is_root, true), search(\"\\\"rate limit\\\" -retry\"))");
        }

        @Test
        void shouldRequireEverySearchSideBySide() {
            assertParses(
                    all(new Search("timeout"), new Search("retry")), "and(search(\"timeout\"), search(\"retry\"))");
            assertParses(any(new Search("timeout"), eq(ERROR, true)), "or(search(\"timeout\"), eq(error, true))");
        }

        @Test
        void shouldParseRunTypeInAsAnyOfTheListedTypes() {
            assertParses(in(RUN_TYPE, RunType.LLM, RunType.TOOL), "in(run_type, [\"llm\", \"tool\"])");
        }

        @Test
        void shouldParseRunTypeInequalityAsTheOtherSixTypes() {
            assertParses(
                    in(
                            RUN_TYPE,
                            RunType.TOOL,
                            RunType.CHAIN,
                            RunType.RETRIEVER,
                            RunType.EMBEDDING,
                            RunType.PROMPT,
                            RunType.PARSER),
                    "neq(run_type, \"llm\")");
        }

        @Test
        void shouldParseStatusEqualityInAndInequality() {
            assertParses(eq(STATUS, RunStatus.ERROR), "eq(status, \"error\")");
            assertParses(in(STATUS, RunStatus.SUCCESS, RunStatus.PENDING), "in(status, [\"success\", \"pending\"])");
            assertParses(in(STATUS, RunStatus.SUCCESS, RunStatus.PENDING), "neq(status, \"error\")");
        }

        @Test
        void shouldParseNameEquality() {
            assertParses(eq(NAME, "ChatOpenAI"), "eq(name, \"ChatOpenAI\")");
        }

        @Test
        void shouldParseIsRootAndItsNegation() {
            assertParses(eq(IS_ROOT, true), "eq(is_root, true)");
            assertParses(eq(IS_ROOT, false), "eq(is_root, false)");
            assertParses(eq(IS_ROOT, false), "neq(is_root, true)");
        }

        @Test
        void shouldParseErrorAsWhetherTheRunFailed() {
            assertParses(eq(ERROR, true), "eq(error, true)");
            assertParses(eq(ERROR, false), "eq(error, false)");
            assertParses(eq(ERROR, true), "neq(error, false)");
        }

        @Test
        void shouldParseIdEqualityAndIdList() {
            assertParses(eq(ID, UUID.fromString(RUN)), "eq(id, \"" + RUN + "\")");
            assertParses(
                    in(ID, UUID.fromString(RUN), UUID.fromString(OTHER)),
                    "in(id, [\"" + RUN + "\", \"" + OTHER + "\"])");
        }

        @Test
        void shouldAcceptUpperCaseUuids() {
            assertParses(eq(ID, UUID.fromString(RUN)), "eq(id, \"" + RUN.toUpperCase() + "\")");
        }

        @Test
        void shouldParseTraceParentAndProjectIds() {
            UUID id = UUID.fromString(RUN);
            assertParses(eq(TRACE_ID, id), "eq(trace_id, \"" + RUN + "\")");
            assertParses(eq(PARENT_RUN_ID, id), "eq(parent_run_id, \"" + RUN + "\")");
            assertParses(eq(PROJECT_ID, id), "eq(session_id, \"" + RUN + "\")");
            assertParses(eq(PROJECT_ID, id), "eq(project_id, \"" + RUN + "\")");
        }

        @Test
        void shouldParseHasTagAsARequiredTag() {
            assertParses(has("prod"), "has(tags, \"prod\")");
        }

        @Test
        void shouldRequireEveryHasTagOfOneAnd() {
            assertParses(all(has("prod"), has("eu")), "and(has(tags, \"prod\"), has(tags, \"eu\"))");
        }

        @Test
        void shouldParseTagsInAsAnyOfTheTags() {
            assertParses(in(TAGS, "prod", "staging"), "in(tags, [\"prod\", \"staging\"])");
        }

        @Test
        void shouldParseLatencyDurationsInSecondsAndMilliseconds() {
            assertParses(gte(LATENCY, 5.0), "gt(latency, \"5s\")");
            assertParses(lte(LATENCY, 0.25), "lt(latency, \"250ms\")");
            assertParses(gte(LATENCY, 1.5), "gte(latency, \"1.5s\")");
            assertParses(lte(LATENCY, 120.0), "lte(latency, \"2m\")");
            assertParses(lte(LATENCY, 3600.0), "lte(latency, \"1h\")");
        }

        @Test
        void shouldParseLatencyNumbersAsSeconds() {
            assertParses(gte(LATENCY, 5.0), "gt(latency, 5)");
            assertParses(lte(LATENCY, 0.5), "lt(latency, 0.5)");
            assertParses(gte(LATENCY, 1500.0), "gte(latency, 1.5e3)");
        }

        @Test
        void shouldTreatStrictLatencyBoundsAsInclusive() {
            assertEquals(FilterLanguage.parse("gte(latency, 5)"), FilterLanguage.parse("gt(latency, 5)"));
            assertEquals(FilterLanguage.parse("lte(latency, 5)"), FilterLanguage.parse("lt(latency, 5)"));
        }

        @Test
        void shouldCombineLowerAndUpperLatencyInOneAnd() {
            assertParses(all(gte(LATENCY, 1.0), lte(LATENCY, 120.0)), "and(gt(latency, \"1s\"), lt(latency, \"2m\"))");
        }

        @Test
        void shouldParseStartTimeBoundsExactlyToTheMicrosecond() {
            OffsetDateTime may = OffsetDateTime.parse("2024-05-01T00:00:00Z");
            OffsetDateTime mayPlusMicro = OffsetDateTime.parse("2024-05-01T00:00:00.000001Z");
            assertParses(gte(START_TIME, may), "gte(start_time, \"2024-05-01T00:00:00Z\")");
            assertParses(gte(START_TIME, mayPlusMicro), "gt(start_time, \"2024-05-01T00:00:00Z\")");
            assertParses(lt(START_TIME, may), "lt(start_time, \"2024-05-01T00:00:00Z\")");
            assertParses(lt(START_TIME, mayPlusMicro), "lte(start_time, \"2024-05-01T00:00:00Z\")");
        }

        @Test
        void shouldRoundSubMicrosecondStartTimesToTheStoredResolution() {
            OffsetDateTime next = OffsetDateTime.parse("2024-05-01T00:00:00.000001Z");
            assertParses(gte(START_TIME, next), "gte(start_time, \"2024-05-01T00:00:00.0000005Z\")");
            assertParses(gte(START_TIME, next), "gt(start_time, \"2024-05-01T00:00:00.0000005Z\")");
            assertParses(lt(START_TIME, next), "lt(start_time, \"2024-05-01T00:00:00.0000005Z\")");
            assertParses(lt(START_TIME, next), "lte(start_time, \"2024-05-01T00:00:00.0000005Z\")");
        }

        @Test
        void shouldKeepTheOffsetOfStartTimes() {
            assertParses(
                    all(
                            gte(START_TIME, OffsetDateTime.parse("2024-05-01T09:30:00+02:00")),
                            lt(START_TIME, OffsetDateTime.parse("2024-05-02T09:30:00+02:00"))),
                    "and(gte(start_time, \"2024-05-01T09:30:00+02:00\"), lt(start_time, \"2024-05-02T09:30:00+02:00\"))");
        }

        @Test
        void shouldParseTotalTokensWithExactStrictBounds() {
            assertParses(gte(TOTAL_TOKENS, 101L), "gt(total_tokens, 100)");
            assertParses(gte(TOTAL_TOKENS, 100L), "gte(total_tokens, 100)");
            assertParses(lte(TOTAL_TOKENS, 99L), "lt(total_tokens, 100)");
            assertParses(lte(TOTAL_TOKENS, 100L), "lte(total_tokens, 100)");
        }

        @Test
        void shouldAcceptWholeTotalTokensWrittenWithExponentOrDecimalZero() {
            assertParses(gte(TOTAL_TOKENS, 1000L), "gte(total_tokens, 1e3)");
            assertParses(gte(TOTAL_TOKENS, 100L), "gte(total_tokens, 100.0)");
        }

        @Test
        void shouldParseTotalCostAsAnExactDecimalWithInclusiveBounds() {
            assertParses(lte(TOTAL_COST, new BigDecimal("0.01")), "lt(total_cost, 0.01)");
            assertParses(lte(TOTAL_COST, new BigDecimal("0.01")), "lte(total_cost, 0.01)");
            assertParses(
                    all(gte(TOTAL_COST, new BigDecimal("0.5")), lte(TOTAL_COST, new BigDecimal("2"))),
                    "and(gt(total_cost, 0.5), lte(total_cost, 2))");
        }

        @Test
        void shouldPairMetadataKeyAndValueInTheSameAnd() {
            RunFilter env = new Metadata("env", "prod");
            assertParses(env, "and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\"))");
            assertParses(env, "and(eq(metadata_value, \"prod\"), eq(metadata_key, \"env\"))");
        }

        @Test
        void shouldKeepOtherConditionsBesideAMetadataPair() {
            assertParses(
                    all(eq(IS_ROOT, true), new Metadata("env", "prod"), eq(NAME, "a")),
                    "and(eq(is_root, true), eq(metadata_key, \"env\"), eq(name, \"a\"), eq(metadata_value, \"prod\"))");
        }

        @Test
        void shouldMatchSeveralMetadataPairsThroughNestedAnds() {
            assertParses(
                    all(new Metadata("env", "prod"), new Metadata("region", "eu")),
                    "and(and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\")),"
                            + " and(eq(metadata_key, \"region\"), eq(metadata_value, \"eu\")))");
        }

        @Test
        void shouldParseFeedbackKeyAlone() {
            assertParses(feedback("correctness"), "eq(feedback_key, \"correctness\")");
        }

        @Test
        void shouldPairFeedbackKeyWithScoreBounds() {
            assertParses(
                    feedback("correctness", gte(FEEDBACK_SCORE, 0.5)),
                    "and(eq(feedback_key, \"correctness\"), gt(feedback_score, 0.5))");
            assertParses(
                    feedback("correctness", gte(FEEDBACK_SCORE, 0.25), lte(FEEDBACK_SCORE, 0.75)),
                    "and(gte(feedback_score, 0.25), eq(feedback_key, \"correctness\"), lte(feedback_score, 0.75))");
            assertParses(
                    feedback("helpful", gte(FEEDBACK_SCORE, 1.0), lte(FEEDBACK_SCORE, 1.0)),
                    "and(eq(feedback_key, \"helpful\"), eq(feedback_score, 1))");
            assertParses(
                    feedback("delta", lte(FEEDBACK_SCORE, -1.0)),
                    "and(eq(feedback_key, \"delta\"), lt(feedback_score, -1))");
        }
    }

    @Nested
    class Structure {

        @Test
        void shouldParseTheConditionsOfOneAndIntoOneGroup() {
            assertParses(
                    all(eq(RUN_TYPE, RunType.LLM), gte(LATENCY, 5.0), eq(IS_ROOT, true)),
                    "and(eq(run_type, \"llm\"), gt(latency, \"5s\"), eq(is_root, true))");
        }

        @Test
        void shouldMatchTheSameRunsWithASingleConditionAndItsAnd() {
            assertParses(eq(NAME, "a"), "eq(name, \"a\")");
            assertParses(all(eq(NAME, "a")), "and(eq(name, \"a\"))");
        }

        @Test
        void shouldParseOrIntoAlternatives() {
            assertParses(
                    any(eq(NAME, "a"), in(STATUS, RunStatus.SUCCESS, RunStatus.PENDING)),
                    "or(eq(name, \"a\"), neq(status, \"error\"))");
        }

        @Test
        void shouldParseOrWithOneAlternative() {
            assertParses(any(eq(NAME, "a")), "or(eq(name, \"a\"))");
        }

        @Test
        void shouldKeepAnOrInsideAnAndAsOneOfItsConditions() {
            assertParses(
                    all(eq(RUN_TYPE, RunType.LLM), any(eq(NAME, "a"), eq(NAME, "b"))),
                    "and(eq(run_type, \"llm\"), or(eq(name, \"a\"), eq(name, \"b\")))");
        }

        @Test
        void shouldKeepEveryOrInsideAnAnd() {
            assertParses(
                    all(any(eq(NAME, "a"), eq(NAME, "b")), any(eq(IS_ROOT, true), eq(ERROR, true))),
                    "and(or(eq(name, \"a\"), eq(name, \"b\")), or(eq(is_root, true), eq(error, true)))");
        }

        @Test
        void shouldKeepNestedAndsAsGroups() {
            assertParses(
                    all(eq(NAME, "a"), all(eq(IS_ROOT, true), eq(ERROR, false))),
                    "and(eq(name, \"a\"), and(eq(is_root, true), eq(error, false)))");
        }

        @Test
        void shouldKeepARepeatedCondition() {
            assertParses(all(eq(NAME, "a"), eq(NAME, "b")), "and(eq(name, \"a\"), eq(name, \"b\"))");
            assertParses(all(gte(LATENCY, 1.0), gte(LATENCY, 2.0)), "and(gt(latency, 1), gt(latency, 2))");
        }

        @Test
        void shouldParseOrOfAndsWithMetadataAndFeedback() {
            assertParses(
                    any(new Metadata("env", "prod"), feedback("correctness", gte(FEEDBACK_SCORE, 0.5))),
                    "or(and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\")),"
                            + " and(eq(feedback_key, \"correctness\"), gte(feedback_score, 0.5)))");
        }

        @Test
        void shouldAcceptNestingUpToTheLimit() {
            // The outermost or(...) and MAX_NESTING levels inside it.
            String text = "eq(name, \"a\")";
            RunFilter expected = eq(NAME, "a");
            for (int level = 0; level <= RunFilterRules.MAX_NESTING; level++) {
                text = "or(" + text + ")";
                expected = any(expected);
            }
            assertParses(expected, text);
        }

        @Test
        void shouldNotCountAnAndThatIsOneAlternativeOfAnOr() {
            String text = "eq(name, \"a\")";
            for (int level = 0; level <= RunFilterRules.MAX_NESTING; level++) {
                text = "or(and(" + text + ", eq(is_root, true)), eq(error, true))";
            }
            FilterLanguage.parse(text);
        }
    }

    @Nested
    class Syntax {

        @Test
        void shouldAcceptSingleQuotedStrings() {
            assertParses(eq(RUN_TYPE, RunType.LLM), "eq(run_type, 'llm')");
            assertParses(eq(NAME, "say \"hi\""), "eq(name, 'say \"hi\"')");
        }

        @Test
        void shouldDecodeEscapesInStrings() {
            assertParses(eq(NAME, "a\"b'c\\d/e"), "eq(name, \"a\\\"b\\'c\\\\d\\/e\")");
            assertParses(eq(NAME, "it's"), "eq(name, 'it\\'s')");
            assertParses(
                    eq(NAME, "line\nnext\ttab\rret\bback\fform"),
                    "eq(name, \"line\\nnext\\ttab\\rret\\bback\\fform\")");
            assertParses(eq(NAME, "café"), "eq(name, \"caf\\u00e9\")");
        }

        @Test
        void shouldKeepCommasParenthesesAndNonAsciiInsideStrings() {
            assertParses(eq(NAME, "f(a, b) [x] – ü"), "eq(name, \"f(a, b) [x] – ü\")");
        }

        @Test
        void shouldAcceptAnEmptyString() {
            assertParses(eq(NAME, ""), "eq(name, \"\")");
        }

        @Test
        void shouldIgnoreWhitespaceBetweenTokens() {
            RunFilter expected = all(in(RUN_TYPE, RunType.LLM, RunType.TOOL), eq(IS_ROOT, true));
            assertParses(expected, "and(in(run_type,[\"llm\",\"tool\"]),eq(is_root,true))");
            assertParses(
                    expected, "  and (\n\tin ( run_type , [ \"llm\" ,\r\n \"tool\" ] ) ,\n\teq( is_root , true )\n)  ");
        }
    }

    @Nested
    class Errors {

        @Test
        void shouldRejectEmptyInput() {
            String message = "empty filter at position 0: expected a condition such as eq(run_type, \"llm\"),"
                    + " or and(...) / or(...) of conditions";
            assertRejected("", 0, message);
            assertRejected("  \n ", 0, message);
            assertRejected(null, 0, message);
        }

        @Test
        void shouldRejectSearchWithoutText() {
            assertRejected(
                    "search(\"  \")",
                    0,
                    "search(\"  \") at position 0 must contain at least one word; leave it out to match every run");
            assertRejected(
                    "search(error, \"timeout\")",
                    7,
                    "expected the text to search for, a quoted string such as search(\"timeout\"), at position 7"
                            + " but found 'error'; search takes no field, only the text");
            assertRejected("search(\"a\", \"b\")", 10, "expected ')' in search(...) at position 10 but found ','");
        }

        @Test
        void shouldRejectUnknownComparators() {
            assertRejected(
                    "like(name, \"a%\")",
                    0,
                    "unsupported comparator 'like' at position 0; supported: eq, neq, gt, gte, lt, lte, has, in,"
                            + " search, and, or");
        }

        @Test
        void shouldSuggestLowerCaseForUpperCaseComparators() {
            assertRejected(
                    "EQ(name, \"a\")",
                    0,
                    "unsupported comparator 'EQ' at position 0; supported: eq, neq, gt, gte, lt, lte, has, in,"
                            + " search, and, or (write it in lower case: eq)");
        }

        @Test
        void shouldRejectUnknownFields() {
            assertRejected(
                    "eq(model, \"gpt-4o\")", 3, "unknown field 'model' at position 3; supported fields: " + FIELDS);
        }

        @Test
        void shouldPointDottedMetadataFieldsToTheKeyValuePair() {
            assertRejected(
                    "eq(metadata.env, \"prod\")",
                    3,
                    "unknown field 'metadata.env' at position 3; supported fields: " + FIELDS
                            + "; to match metadata write and(eq(metadata_key, \"env\"), eq(metadata_value, \"...\"))");
        }

        @Test
        void shouldRejectComparatorsAFieldDoesNotSupport() {
            assertRejected(
                    "eq(tags, \"prod\")",
                    0,
                    "comparator 'eq' is not supported for field 'tags' at position 0; tags supports: has, in;"
                            + " write has(tags, \"...\") to match one tag");
            assertRejected(
                    "neq(name, \"a\")",
                    0,
                    "comparator 'neq' is not supported for field 'name' at position 0; name supports: eq;"
                            + " neq is supported for is_root, error, run_type and status");
            assertRejected(
                    "gt(run_type, \"llm\")",
                    0,
                    "comparator 'gt' is not supported for field 'run_type' at position 0; run_type supports:"
                            + " eq, neq, in");
            assertRejected(
                    "eq(latency, 5)",
                    0,
                    "comparator 'eq' is not supported for field 'latency' at position 0; latency supports:"
                            + " gt, gte, lt, lte");
        }

        @Test
        void shouldRejectWrongValueTypes() {
            assertRejected(
                    "eq(is_root, \"yes\")",
                    12,
                    "wrong value for is_root at position 12: expected true or false, got the string \"yes\"");
            assertRejected(
                    "eq(error, null)", 10, "wrong value for error at position 10: expected true or false, got null");
            assertRejected(
                    "eq(name, 5)", 9, "wrong value for name at position 9: expected a quoted string, got the number 5");
            assertRejected(
                    "eq(run_type, [\"llm\"])",
                    13,
                    "wrong value for run_type at position 13: expected a quoted run_type (tool, chain, llm,"
                            + " retriever, embedding, prompt, parser), got a list");
            assertRejected(
                    "in(run_type, \"llm\")",
                    13,
                    "wrong value for run_type at position 13: expected a list such as [\"a\", \"b\"];"
                            + " use eq(run_type, ...) for one value, got the string \"llm\"");
            assertRejected(
                    "gt(total_cost, \"cheap\")",
                    15,
                    "wrong value for total_cost at position 15: expected a number such as 0.01, got the string"
                            + " \"cheap\"");
            assertRejected(
                    "and(eq(feedback_key, \"x\"), gt(feedback_score, true))",
                    46,
                    "wrong value for feedback_score at position 46: expected a number such as 0.5, got true");
            assertRejected(
                    "eq(metadata_value, 5)",
                    19,
                    "wrong value for metadata_value at position 19: expected a quoted string (metadata values are"
                            + " matched as text), got the number 5");
        }

        @Test
        void shouldRejectTotalTokensThatAreNotWholeNumbers() {
            assertRejected(
                    "gt(total_tokens, \"100\")",
                    17,
                    "wrong value for total_tokens at position 17: expected a whole number such as 100, got the"
                            + " string \"100\"");
            assertRejected(
                    "gt(total_tokens, 1.5)",
                    17,
                    "wrong value for total_tokens at position 17: expected a whole number such as 100, got the"
                            + " number 1.5");
        }

        @Test
        void shouldRejectNumbersOutOfRange() {
            assertRejected(
                    "gt(total_tokens, 99999999999999999999)",
                    17,
                    "number out of range for total_tokens at position 17: 99999999999999999999");
            assertRejected(
                    "gt(total_tokens, 9223372036854775807)",
                    17,
                    "number out of range for total_tokens at position 17: 9223372036854775807");
            assertRejected("gt(latency, 1e999)", 12, "number out of range for latency at position 12: 1e999");
            assertRejected(
                    "gt(total_cost, 1e99999999999)",
                    15,
                    "number out of range for total_cost at position 15: 1e99999999999");
        }

        @Test
        void shouldRejectNegativeBounds() {
            assertRejected(
                    "lt(latency, -1)",
                    0,
                    "lt(latency, -1) at position 0: negative bound, but latency is never below 0");
            assertRejected(
                    "and(eq(is_root, true), gt(total_tokens, -5))",
                    23,
                    "gt(total_tokens, -5) at position 23: negative bound, but total_tokens is never below 0");
            assertRejected(
                    "gt(total_cost, -0.5)",
                    0,
                    "gt(total_cost, -0.5) at position 0: negative bound, but total_cost is never below 0");
        }

        @Test
        void shouldRejectUnknownRunTypesAndStatuses() {
            assertRejected(
                    "eq(run_type, \"agent\")",
                    13,
                    "unknown run_type \"agent\" at position 13; supported: tool, chain, llm, retriever, embedding,"
                            + " prompt, parser");
            assertRejected(
                    "in(status, [\"success\", \"failed\"])",
                    23,
                    "unknown status \"failed\" at position 23; supported: success, error, pending");
        }

        @Test
        void shouldRejectBadUuids() {
            String expected = "expected a quoted UUID such as \"1b64098b-4ab7-43f6-afee-992304f198d8\"";
            assertRejected(
                    "eq(trace_id, \"uuid\")",
                    13,
                    "wrong value for trace_id at position 13: " + expected + ", got the string \"uuid\"");
            assertRejected(
                    "in(id, [\"" + RUN + "\", \"1-2-3-4-5\"])",
                    48,
                    "wrong value for id at position 48: " + expected + ", got the string \"1-2-3-4-5\"");
            assertRejected(
                    "eq(parent_run_id, \"1b64098b-4ab7-43f6-afee-992304f198dz\")",
                    18,
                    "wrong value for parent_run_id at position 18: " + expected
                            + ", got the string \"1b64098b-4ab7-43f6-afee-992304f198dz\"");
        }

        @Test
        void shouldRejectStartTimesWithoutAnOffsetOrInAnotherFormat() {
            String expected = "expected a quoted ISO-8601 time with an offset, such as \"2024-05-01T00:00:00Z\"";
            assertRejected(
                    "gte(start_time, \"2024-05-01T00:00:00\")",
                    16,
                    "wrong value for start_time at position 16: " + expected
                            + ", got the string \"2024-05-01T00:00:00\"");
            assertRejected(
                    "gte(start_time, \"yesterday\")",
                    16,
                    "wrong value for start_time at position 16: " + expected + ", got the string \"yesterday\"");
        }

        @Test
        void shouldRejectDurationsWithoutAKnownUnit() {
            String expected =
                    "expected seconds as a number, or a quoted duration such as \"250ms\", \"5s\", \"2m\" or \"1h\"";
            assertRejected(
                    "gt(latency, \"5\")",
                    12,
                    "wrong value for latency at position 12: " + expected + ", got the string \"5\"");
            assertRejected(
                    "gt(latency, \"5 sec\")",
                    12,
                    "wrong value for latency at position 12: " + expected + ", got the string \"5 sec\"");
        }

        @Test
        void shouldAskForQuotesAroundDurations() {
            assertRejected(
                    "gt(latency, 5s)",
                    12,
                    "number at position 12 runs into 's': durations and other text with units are quoted strings,"
                            + " e.g. \"5s\"");
        }

        @Test
        void shouldAskForQuotesAroundTextValues() {
            assertRejected(
                    "eq(run_type, llm)",
                    13,
                    "expected a value at position 13 but found 'llm': quote text values, e.g. \"llm\"");
        }

        @Test
        void shouldRejectMetadataValueWithoutMetadataKey() {
            assertRejected(
                    "eq(metadata_value, \"prod\")",
                    0,
                    "metadata_value without metadata_key at position 0: add eq(metadata_key, \"...\") in the same"
                            + " and(...), e.g. and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\"))");
            assertRejected(
                    "and(eq(metadata_key, \"env\"), or(eq(metadata_value, \"prod\")))",
                    32,
                    "metadata_value without metadata_key at position 32: add eq(metadata_key, \"...\") in the same"
                            + " and(...), e.g. and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\"))");
        }

        @Test
        void shouldRejectMetadataKeyWithoutMetadataValue() {
            assertRejected(
                    "and(eq(metadata_key, \"env\"), eq(is_root, true))",
                    4,
                    "metadata_key without metadata_value at position 4: add eq(metadata_value, \"...\") in the same"
                            + " and(...), e.g. and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\"))");
        }

        @Test
        void shouldRejectTwoMetadataPairsInOneAnd() {
            assertRejected(
                    "and(eq(metadata_key, \"a\"), eq(metadata_value, \"1\"), eq(metadata_key, \"b\"))",
                    52,
                    "second metadata_key at position 52: eq(metadata_key, \"a\") at position 4 is already in the"
                            + " same and(...); match one metadata or feedback pair per and(...) and nest more, e.g."
                            + " and(and(eq(metadata_key, \"a\"), eq(metadata_value, \"1\")), and(eq(metadata_key,"
                            + " \"b\"), eq(metadata_value, \"2\")))");
        }

        @Test
        void shouldRejectFeedbackScoreWithoutFeedbackKey() {
            assertRejected(
                    "gt(feedback_score, 0.5)",
                    0,
                    "feedback_score without feedback_key at position 0: add eq(feedback_key, \"...\") in the same"
                            + " and(...), e.g. and(eq(feedback_key, \"correctness\"), gt(feedback_score, 0.5))");
        }

        @Test
        void shouldRejectASecondFeedbackScoreBoundInOneAnd() {
            assertRejected(
                    "and(eq(feedback_key, \"x\"), gt(feedback_score, 0.5), gte(feedback_score, 0.7))",
                    52,
                    "second bound on feedback_score at position 52: gt(feedback_score, 0.5) at position 27 already"
                            + " bounds it in the same and(...); give at most one lower (gt, gte) and one upper (lt,"
                            + " lte) bound, or a single eq");
        }

        @Test
        void shouldRejectTwoFeedbackKeysInOneAnd() {
            assertRejected(
                    "and(eq(feedback_key, \"x\"), eq(feedback_key, \"y\"))",
                    27,
                    "second feedback_key at position 27: eq(feedback_key, \"x\") at position 4 is already in the"
                            + " same and(...); match one metadata or feedback pair per and(...) and nest more, e.g."
                            + " and(and(eq(metadata_key, \"a\"), eq(metadata_value, \"1\")), and(eq(metadata_key,"
                            + " \"b\"), eq(metadata_value, \"2\")))");
        }

        @Test
        void shouldRejectAnEmptyFeedbackKey() {
            assertRejected(
                    "eq(feedback_key, \" \")",
                    0,
                    "eq(feedback_key, \" \") at position 0: the feedback key must not be empty; name the feedback,"
                            + " e.g. \"correctness\"");
        }

        @Test
        void shouldRejectRangesThatCanMatchNothing() {
            assertRejected(
                    "and(gt(latency, \"10s\"), lt(latency, \"5s\"))",
                    24,
                    "conditions gt(latency, \"10s\") at position 4 and lt(latency, \"5s\") at position 24 cannot"
                            + " both hold, so the filter would match nothing; check the bounds");
            assertRejected(
                    "and(gt(total_tokens, 5), lt(total_tokens, 6))",
                    25,
                    "conditions gt(total_tokens, 5) at position 4 and lt(total_tokens, 6) at position 25 cannot"
                            + " both hold, so the filter would match nothing; check the bounds");
            assertRejected(
                    "and(lt(start_time, \"2024-05-01T00:00:00Z\"), gte(start_time, \"2024-05-01T00:00:00Z\"))",
                    44,
                    "conditions lt(start_time, \"2024-05-01T00:00:00Z\") at position 4 and gte(start_time,"
                            + " \"2024-05-01T00:00:00Z\") at position 44 cannot both hold, so the filter would match"
                            + " nothing; check the bounds");
            assertRejected(
                    "and(lte(total_cost, 1), gte(total_cost, 2))",
                    24,
                    "conditions lte(total_cost, 1) at position 4 and gte(total_cost, 2) at position 24 cannot"
                            + " both hold, so the filter would match nothing; check the bounds");
            assertRejected(
                    "and(eq(feedback_key, \"x\"), lt(feedback_score, 0), gt(feedback_score, 1))",
                    50,
                    "conditions lt(feedback_score, 0) at position 27 and gt(feedback_score, 1) at position 50"
                            + " cannot both hold, so the filter would match nothing; check the bounds");
        }

        @Test
        void shouldRejectTrailingText() {
            assertRejected(
                    "eq(name, \"a\") eq(name, \"b\")",
                    14,
                    "unexpected 'eq' at position 14 after the end of the filter; combine conditions with and(...)"
                            + " or or(...)");
            assertRejected(
                    "eq(name, \"a\"), eq(name, \"b\")",
                    13,
                    "unexpected ',' at position 13 after the end of the filter; combine conditions with and(...)"
                            + " or or(...)");
        }

        @Test
        void shouldRejectAnExtraClosingParenthesis() {
            assertRejected(
                    "and(eq(name, \"a\")))",
                    18,
                    "unexpected ')' at position 18 after the end of the filter (one ')' too many?)");
        }

        @Test
        void shouldRejectAMissingClosingParenthesis() {
            assertRejected(
                    "and(eq(name, \"a\")",
                    17,
                    "missing ')' to close 'and(' opened at position 3: reached the end of the filter at position 17");
            assertRejected(
                    "eq(name, \"a\"",
                    12,
                    "missing ')' to close 'eq(' opened at position 2: reached the end of the filter at position 12");
            assertRejected(
                    "eq(name",
                    7,
                    "missing ')' to close 'eq(' opened at position 2: reached the end of the filter at position 7");
        }

        @Test
        void shouldRejectAMissingSeparatorBetweenConditions() {
            assertRejected(
                    "and(eq(name, \"a\") eq(is_root, true))",
                    18,
                    "expected ',' or ')' in and(...) at position 18 but found 'eq'");
        }

        @Test
        void shouldRejectAnEmptyAndOr() {
            assertRejected(
                    "and()",
                    0,
                    "and(...) at position 0 is empty: it needs at least one condition, e.g. and(eq(run_type,"
                            + " \"llm\"))");
            assertRejected(
                    "or( )",
                    0,
                    "or(...) at position 0 is empty: it needs at least one condition, e.g. or(eq(run_type,"
                            + " \"llm\"))");
        }

        @Test
        void shouldRejectATrailingCommaInAnd() {
            assertRejected(
                    "and(eq(name, \"a\"), )",
                    19,
                    "expected a condition such as eq(run_type, \"llm\") at position 19 but found ')'");
        }

        @Test
        void shouldRejectComparatorsWithTheWrongNumberOfArguments() {
            assertRejected(
                    "eq(is_root)",
                    10,
                    "eq(...) at position 0 needs a field and a value, e.g. eq(is_root, ...); found ')' at"
                            + " position 10");
            assertRejected(
                    "in(run_type, \"llm\", \"tool\")",
                    18,
                    "in(...) at position 0 takes exactly two arguments, a field and a value, but a third follows"
                            + " at position 18; use in(field, [...]) to match several values");
            assertRejected(
                    "eq(name \"a\")",
                    8,
                    "expected ',' after the field name in eq(...) at position 8 but found the string \"a\"");
        }

        @Test
        void shouldRejectQuotedFieldNames() {
            assertRejected(
                    "eq(\"name\", \"a\")",
                    3,
                    "expected a field name as the first argument of eq(...) at position 3 but found the string"
                            + " \"name\"; field names are not quoted; fields: " + FIELDS);
        }

        @Test
        void shouldRejectAFieldWhereAConditionBelongs() {
            assertRejected(
                    "and(is_root, eq(name, \"a\"))",
                    4,
                    "expected a condition such as eq(run_type, \"llm\") at position 4 but found 'is_root'");
            assertRejected(
                    "\"llm\"",
                    0,
                    "expected a condition such as eq(run_type, \"llm\") at position 0 but found the string \"llm\"");
        }

        @Test
        void shouldRejectAComparatorWithoutParentheses() {
            assertRejected("and", 3, "expected '(' after 'and' at position 3 but found the end of the filter");
            assertRejected("eq name", 3, "expected '(' after 'eq' at position 3 but found 'name'");
        }

        @Test
        void shouldRejectEmptyNestedAndUnclosedLists() {
            assertRejected(
                    "in(tags, [])",
                    0,
                    "in(tags, []) at position 0: the list is empty, so no run could match; give at least one value or"
                            + " leave the condition out");
            assertRejected("in(tags, [[\"a\"]])", 10, "nested list at position 10: lists cannot contain lists");
            assertRejected(
                    "in(tags, [\"a\", \"b\"",
                    18,
                    "missing ']' to close the list opened at position 9: reached the end of the filter at"
                            + " position 18");
            assertRejected(
                    "in(tags, [\"a\" \"b\"])",
                    14,
                    "expected ',' or ']' in the list opened at position 9 but found the string \"b\" at position 14");
            assertRejected(
                    "in(tags, [\"a\", ])",
                    15,
                    "expected a value (a quoted string, a number, true, false or a [list]) at position 15 but found"
                            + " ']'");
        }

        @Test
        void shouldRejectUnterminatedStrings() {
            assertRejected("eq(name, \"abc)", 9, "unterminated string starting at position 9: add the closing \"");
            assertRejected("eq(name, 'abc\\')", 9, "unterminated string starting at position 9: add the closing '");
        }

        @Test
        void shouldRejectUnknownAndMalformedEscapes() {
            assertRejected(
                    "eq(name, \"a\\qb\")",
                    11,
                    "unknown escape '\\q' at position 11 in the string starting at position 9; supported escapes:"
                            + " \\\", \\', \\\\, \\/, \\b, \\f, \\n, \\r, \\t, \\uXXXX");
            assertRejected(
                    "eq(name, \"\\u12g4\")",
                    10,
                    "malformed escape at position 10: \\u must be followed by four hex digits, e.g. \\u00e9");
        }

        @Test
        void shouldRejectUnexpectedCharacters() {
            assertRejected(
                    "eq(name, \"a\") && eq(is_root, true)",
                    14,
                    "unexpected character '&' at position 14: a filter is made of conditions such as"
                            + " eq(run_type, \"llm\") joined with and(...) and or(...); quote text values");
        }

        @Test
        void shouldRejectMalformedNumbers() {
            assertRejected("gt(latency, -)", 12, "malformed number at position 12: expected digits after '-'");
            assertRejected("gt(latency, 1.)", 12, "malformed number at position 12: expected digits after '.'");
            assertRejected(
                    "gt(latency, 1e+)",
                    12,
                    "malformed number at position 12: expected digits after the exponent at position 13");
        }

        @Test
        void shouldRejectNestingBeyondTheLimit() {
            String text = "eq(name, \"a\")";
            for (int level = 0; level <= RunFilterRules.MAX_NESTING + 1; level++) {
                text = "and(" + text + ")";
            }
            assertRejected(text, 20, "and(...) at position 20: and/or filters may nest at most 4 levels");
        }

        @Test
        void shouldRejectNestingTooDeepToParseWithTheSameRule() {
            String text = "eq(name, \"a\")";
            for (int level = 0; level < 1000; level++) {
                text = "or(" + text + ")";
            }
            assertRejected(text, 30, "or(...) at position 30: and/or filters may nest at most 4 levels");
        }

        @Test
        void shouldRejectSearchTextAndValuesOverTheLengthLimit() {
            String text = "a".repeat(RunFilterRules.MAX_TEXT_LENGTH);
            assertParses(new Search(text), "search(\"" + text + "\")");
            assertRejected(
                    "and(eq(is_root, true), search(\"" + text + "a\"))",
                    23,
                    "search(\"" + "a".repeat(68) + "...) at position 23 is 1001 characters long; at most 1000 are"
                            + " accepted");
            assertRejected(
                    "eq(name, \"" + text + "a\")",
                    0,
                    "eq(name, \"" + "a".repeat(66) + "...) at position 0 holds a text of 1001 characters; at most"
                            + " 1000 are accepted");
        }

        @Test
        void shouldRejectListsOverTheSizeLimit() {
            String tags = "\"t\", ".repeat(RunFilterRules.MAX_VALUES - 1);
            FilterLanguage.parse("in(tags, [" + tags + "\"t\"])");
            tags += "\"t\", ";
            assertRejected(
                    "in(tags, [" + tags + "\"t\"])",
                    0,
                    "in(tags, [" + "\"t\", ".repeat(13) + "\"...) at position 0: the list has 1001 values; at most 1000"
                            + " are accepted");
        }

        @Test
        void shouldRejectBoundsThatCannotHoldAcrossNestedAnds() {
            assertRejected(
                    "and(gt(latency, \"10s\"), and(eq(is_root, true), lt(latency, \"5s\")))",
                    47,
                    "conditions gt(latency, \"10s\") at position 4 and lt(latency, \"5s\") at position 47 cannot"
                            + " both hold, so the filter would match nothing; check the bounds");
        }

        @Test
        void shouldRejectAMetadataKeyAskedForTwoValues() {
            assertRejected(
                    "and(and(eq(metadata_key, \"env\"), eq(metadata_value, \"a\")),"
                            + " and(eq(metadata_key, \"env\"), eq(metadata_value, \"b\")))",
                    88,
                    "conditions eq(metadata_value, \"a\") at position 33 and eq(metadata_value, \"b\") at position 88"
                            + " cannot both hold, so the filter would match nothing: metadata key 'env' has one value");
        }
    }
}
