package io.tracegql.domain;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.tracegql.domain.FilterLanguage.InvalidFilterException;
import io.tracegql.domain.RunFilter.FeedbackCondition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilterLanguageTest {

    private static final String RUN = "1b64098b-4ab7-43f6-afee-992304f198d8";
    private static final String OTHER = "0f2d4c1e-9a6b-4e8f-8c3d-5b7a9e1f2c4d";
    private static final String FIELDS = "id, trace_id, parent_run_id, session_id, project_id, is_root, error,"
            + " run_type, status, name, tags, start_time, latency, total_tokens, total_cost, metadata_key,"
            + " metadata_value, feedback_key, feedback_score";

    private static RunFilter.Builder filter() {
        return RunFilter.builder();
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
            RunFilter llm = filter().runTypes(List.of(RunType.LLM)).build();
            assertParses(llm, "eq(run_type, \"llm\")");
            assertParses(llm, "eq(run_type, \"LLM\")");
        }

        @Test
        void shouldParseSearchAsFullTextConditionWithoutField() {
            assertParses(filter().search("timeout").build(), "search(\"timeout\")");
            assertParses(
                    filter().isRoot(true).search("\"rate limit\" -retry").build(),
                    "and(eq(is_root, true), search(\"\\\"rate limit\\\" -retry\"))");
        }

        @Test
        void shouldRequireEverySearchSideBySide() {
            assertParses(
                    filter().search("timeout")
                            .and(List.of(filter().search("retry").build()))
                            .build(),
                    "and(search(\"timeout\"), search(\"retry\"))");
            assertParses(
                    filter().or(List.of(
                                    filter().search("timeout").build(),
                                    filter().hasError(true).build()))
                            .build(),
                    "or(search(\"timeout\"), eq(error, true))");
        }

        @Test
        void shouldParseRunTypeInAsAnyOfTheListedTypes() {
            assertParses(
                    filter().runTypes(List.of(RunType.LLM, RunType.TOOL)).build(), "in(run_type, [\"llm\", \"tool\"])");
        }

        @Test
        void shouldParseRunTypeInequalityAsTheOtherSixTypes() {
            assertParses(
                    filter().runTypes(List.of(
                                    RunType.TOOL,
                                    RunType.CHAIN,
                                    RunType.RETRIEVER,
                                    RunType.EMBEDDING,
                                    RunType.PROMPT,
                                    RunType.PARSER))
                            .build(),
                    "neq(run_type, \"llm\")");
        }

        @Test
        void shouldParseStatusEqualityInAndInequality() {
            assertParses(filter().statuses(List.of(RunStatus.ERROR)).build(), "eq(status, \"error\")");
            assertParses(
                    filter().statuses(List.of(RunStatus.SUCCESS, RunStatus.PENDING))
                            .build(),
                    "in(status, [\"success\", \"pending\"])");
            assertParses(
                    filter().statuses(List.of(RunStatus.SUCCESS, RunStatus.PENDING))
                            .build(),
                    "neq(status, \"error\")");
        }

        @Test
        void shouldParseNameEquality() {
            assertParses(filter().name("ChatOpenAI").build(), "eq(name, \"ChatOpenAI\")");
        }

        @Test
        void shouldParseIsRootAndItsNegation() {
            assertParses(filter().isRoot(true).build(), "eq(is_root, true)");
            assertParses(filter().isRoot(false).build(), "eq(is_root, false)");
            assertParses(filter().isRoot(false).build(), "neq(is_root, true)");
        }

        @Test
        void shouldParseErrorAsWhetherTheRunFailed() {
            assertParses(filter().hasError(true).build(), "eq(error, true)");
            assertParses(filter().hasError(false).build(), "eq(error, false)");
            assertParses(filter().hasError(true).build(), "neq(error, false)");
        }

        @Test
        void shouldParseIdEqualityAndIdList() {
            assertParses(filter().ids(List.of(UUID.fromString(RUN))).build(), "eq(id, \"" + RUN + "\")");
            assertParses(
                    filter().ids(List.of(UUID.fromString(RUN), UUID.fromString(OTHER)))
                            .build(),
                    "in(id, [\"" + RUN + "\", \"" + OTHER + "\"])");
        }

        @Test
        void shouldAcceptUpperCaseUuids() {
            assertParses(filter().ids(List.of(UUID.fromString(RUN))).build(), "eq(id, \"" + RUN.toUpperCase() + "\")");
        }

        @Test
        void shouldParseTraceParentAndProjectIds() {
            UUID id = UUID.fromString(RUN);
            assertParses(filter().traceId(id).build(), "eq(trace_id, \"" + RUN + "\")");
            assertParses(filter().parentRunId(id).build(), "eq(parent_run_id, \"" + RUN + "\")");
            assertParses(filter().projectId(id).build(), "eq(session_id, \"" + RUN + "\")");
            assertParses(filter().projectId(id).build(), "eq(project_id, \"" + RUN + "\")");
        }

        @Test
        void shouldParseHasTagAsARequiredTag() {
            assertParses(filter().tagsAll(List.of("prod")).build(), "has(tags, \"prod\")");
        }

        @Test
        void shouldCollectSeveralHasTagsInOneAndIntoAllOfTheTags() {
            assertParses(
                    filter().tagsAll(List.of("prod", "eu")).build(), "and(has(tags, \"prod\"), has(tags, \"eu\"))");
        }

        @Test
        void shouldParseTagsInAsAnyOfTheTags() {
            assertParses(filter().tagsAny(List.of("prod", "staging")).build(), "in(tags, [\"prod\", \"staging\"])");
        }

        @Test
        void shouldParseLatencyDurationsInSecondsAndMilliseconds() {
            assertParses(filter().latencySeconds(5.0, null).build(), "gt(latency, \"5s\")");
            assertParses(filter().latencySeconds(null, 0.25).build(), "lt(latency, \"250ms\")");
            assertParses(filter().latencySeconds(1.5, null).build(), "gte(latency, \"1.5s\")");
            assertParses(filter().latencySeconds(null, 120.0).build(), "lte(latency, \"2m\")");
            assertParses(filter().latencySeconds(null, 3600.0).build(), "lte(latency, \"1h\")");
        }

        @Test
        void shouldParseLatencyNumbersAsSeconds() {
            assertParses(filter().latencySeconds(5.0, null).build(), "gt(latency, 5)");
            assertParses(filter().latencySeconds(null, 0.5).build(), "lt(latency, 0.5)");
            assertParses(filter().latencySeconds(1500.0, null).build(), "gte(latency, 1.5e3)");
        }

        @Test
        void shouldTreatStrictLatencyBoundsAsInclusive() {
            assertEquals(FilterLanguage.parse("gte(latency, 5)"), FilterLanguage.parse("gt(latency, 5)"));
            assertEquals(FilterLanguage.parse("lte(latency, 5)"), FilterLanguage.parse("lt(latency, 5)"));
        }

        @Test
        void shouldCombineLowerAndUpperLatencyInOneRange() {
            assertParses(filter().latencySeconds(1.0, 120.0).build(), "and(gt(latency, \"1s\"), lt(latency, \"2m\"))");
        }

        @Test
        void shouldParseStartTimeBoundsExactlyToTheMicrosecond() {
            OffsetDateTime may = OffsetDateTime.parse("2024-05-01T00:00:00Z");
            OffsetDateTime mayPlusMicro = OffsetDateTime.parse("2024-05-01T00:00:00.000001Z");
            assertParses(filter().startedAfter(may).build(), "gte(start_time, \"2024-05-01T00:00:00Z\")");
            assertParses(filter().startedAfter(mayPlusMicro).build(), "gt(start_time, \"2024-05-01T00:00:00Z\")");
            assertParses(filter().startedBefore(may).build(), "lt(start_time, \"2024-05-01T00:00:00Z\")");
            assertParses(filter().startedBefore(mayPlusMicro).build(), "lte(start_time, \"2024-05-01T00:00:00Z\")");
        }

        @Test
        void shouldRoundSubMicrosecondStartTimesToTheStoredResolution() {
            OffsetDateTime next = OffsetDateTime.parse("2024-05-01T00:00:00.000001Z");
            assertParses(filter().startedAfter(next).build(), "gte(start_time, \"2024-05-01T00:00:00.0000005Z\")");
            assertParses(filter().startedAfter(next).build(), "gt(start_time, \"2024-05-01T00:00:00.0000005Z\")");
            assertParses(filter().startedBefore(next).build(), "lt(start_time, \"2024-05-01T00:00:00.0000005Z\")");
            assertParses(filter().startedBefore(next).build(), "lte(start_time, \"2024-05-01T00:00:00.0000005Z\")");
        }

        @Test
        void shouldKeepTheOffsetOfStartTimes() {
            assertParses(
                    filter().startedAfter(OffsetDateTime.parse("2024-05-01T09:30:00+02:00"))
                            .startedBefore(OffsetDateTime.parse("2024-05-02T09:30:00+02:00"))
                            .build(),
                    "and(gte(start_time, \"2024-05-01T09:30:00+02:00\"), lt(start_time, \"2024-05-02T09:30:00+02:00\"))");
        }

        @Test
        void shouldParseTotalTokensWithExactStrictBounds() {
            assertParses(filter().totalTokens(101L, null).build(), "gt(total_tokens, 100)");
            assertParses(filter().totalTokens(100L, null).build(), "gte(total_tokens, 100)");
            assertParses(filter().totalTokens(null, 99L).build(), "lt(total_tokens, 100)");
            assertParses(filter().totalTokens(null, 100L).build(), "lte(total_tokens, 100)");
        }

        @Test
        void shouldAcceptWholeTotalTokensWrittenWithExponentOrDecimalZero() {
            assertParses(filter().totalTokens(1000L, null).build(), "gte(total_tokens, 1e3)");
            assertParses(filter().totalTokens(100L, null).build(), "gte(total_tokens, 100.0)");
        }

        @Test
        void shouldParseTotalCostAsAnExactDecimalWithInclusiveBounds() {
            assertParses(filter().totalCost(null, new BigDecimal("0.01")).build(), "lt(total_cost, 0.01)");
            assertParses(filter().totalCost(null, new BigDecimal("0.01")).build(), "lte(total_cost, 0.01)");
            assertParses(
                    filter().totalCost(new BigDecimal("0.5"), new BigDecimal("2"))
                            .build(),
                    "and(gt(total_cost, 0.5), lte(total_cost, 2))");
        }

        @Test
        void shouldPairMetadataKeyAndValueInTheSameAnd() {
            RunFilter env = filter().metadata(Map.of("env", "prod")).build();
            assertParses(env, "and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\"))");
            assertParses(env, "and(eq(metadata_value, \"prod\"), eq(metadata_key, \"env\"))");
        }

        @Test
        void shouldMatchSeveralMetadataPairsThroughNestedAnds() {
            assertParses(
                    filter().and(List.of(
                                    filter().metadata(Map.of("env", "prod")).build(),
                                    filter().metadata(Map.of("region", "eu")).build()))
                            .build(),
                    "and(and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\")),"
                            + " and(eq(metadata_key, \"region\"), eq(metadata_value, \"eu\")))");
        }

        @Test
        void shouldParseFeedbackKeyAlone() {
            assertParses(
                    filter().feedback(new FeedbackCondition("correctness", null, null))
                            .build(),
                    "eq(feedback_key, \"correctness\")");
        }

        @Test
        void shouldPairFeedbackKeyWithScoreBounds() {
            assertParses(
                    filter().feedback(new FeedbackCondition("correctness", 0.5, null))
                            .build(),
                    "and(eq(feedback_key, \"correctness\"), gt(feedback_score, 0.5))");
            assertParses(
                    filter().feedback(new FeedbackCondition("correctness", 0.25, 0.75))
                            .build(),
                    "and(gte(feedback_score, 0.25), eq(feedback_key, \"correctness\"), lte(feedback_score, 0.75))");
            assertParses(
                    filter().feedback(new FeedbackCondition("helpful", 1.0, 1.0))
                            .build(),
                    "and(eq(feedback_key, \"helpful\"), eq(feedback_score, 1))");
            assertParses(
                    filter().feedback(new FeedbackCondition("delta", null, -1.0))
                            .build(),
                    "and(eq(feedback_key, \"delta\"), lt(feedback_score, -1))");
        }
    }

    @Nested
    class Structure {

        @Test
        void shouldMergeConditionsOfOneAndIntoOneFilter() {
            assertParses(
                    filter().runTypes(List.of(RunType.LLM))
                            .latencySeconds(5.0, null)
                            .isRoot(true)
                            .build(),
                    "and(eq(run_type, \"llm\"), gt(latency, \"5s\"), eq(is_root, true))");
        }

        @Test
        void shouldTreatASingleConditionAndItsAndTheSame() {
            assertEquals(FilterLanguage.parse("eq(name, \"a\")"), FilterLanguage.parse("and(eq(name, \"a\"))"));
        }

        @Test
        void shouldParseOrIntoAlternatives() {
            assertParses(
                    filter().or(List.of(
                                    filter().name("a").build(),
                                    filter().statuses(List.of(RunStatus.SUCCESS, RunStatus.PENDING))
                                            .build()))
                            .build(),
                    "or(eq(name, \"a\"), neq(status, \"error\"))");
        }

        @Test
        void shouldParseOrWithOneAlternative() {
            assertParses(filter().or(List.of(filter().name("a").build())).build(), "or(eq(name, \"a\"))");
        }

        @Test
        void shouldPutAnOrInsideAnAndIntoItsOrList() {
            assertParses(
                    filter().runTypes(List.of(RunType.LLM))
                            .or(List.of(
                                    filter().name("a").build(),
                                    filter().name("b").build()))
                            .build(),
                    "and(eq(run_type, \"llm\"), or(eq(name, \"a\"), eq(name, \"b\")))");
        }

        @Test
        void shouldPutASecondOrInsideAnAndIntoItsAndList() {
            RunFilter first = filter().or(List.of(
                            filter().name("a").build(), filter().name("b").build()))
                    .build();
            RunFilter second = filter().or(List.of(
                            filter().isRoot(true).build(),
                            filter().hasError(true).build()))
                    .build();
            assertParses(
                    filter().or(first.or()).and(List.of(second)).build(),
                    "and(or(eq(name, \"a\"), eq(name, \"b\")), or(eq(is_root, true), eq(error, true)))");
        }

        @Test
        void shouldPutNestedAndsIntoTheAndList() {
            assertParses(
                    filter().name("a")
                            .and(List.of(filter().isRoot(true).hasError(false).build()))
                            .build(),
                    "and(eq(name, \"a\"), and(eq(is_root, true), eq(error, false)))");
        }

        @Test
        void shouldKeepARepeatedConditionAsAnExtraAndFilter() {
            assertParses(
                    filter().name("a").and(List.of(filter().name("b").build())).build(),
                    "and(eq(name, \"a\"), eq(name, \"b\"))");
            assertParses(
                    filter().latencySeconds(1.0, null)
                            .and(List.of(filter().latencySeconds(2.0, null).build()))
                            .build(),
                    "and(gt(latency, 1), gt(latency, 2))");
        }

        @Test
        void shouldParseOrOfAndsWithMetadataAndFeedback() {
            assertParses(
                    filter().or(List.of(
                                    filter().metadata(Map.of("env", "prod")).build(),
                                    filter().feedback(new FeedbackCondition("correctness", 0.5, null))
                                            .build()))
                            .build(),
                    "or(and(eq(metadata_key, \"env\"), eq(metadata_value, \"prod\")),"
                            + " and(eq(feedback_key, \"correctness\"), gte(feedback_score, 0.5)))");
        }

        @Test
        void shouldAcceptNestingUpToTheLimit() {
            String text = "eq(name, \"a\")";
            RunFilter expected = filter().name("a").build();
            for (int level = 0; level < FilterLanguage.MAX_NESTING; level++) {
                text = "or(" + text + ")";
                expected = filter().or(List.of(expected)).build();
            }
            assertParses(expected, text);
        }
    }

    @Nested
    class Syntax {

        @Test
        void shouldAcceptSingleQuotedStrings() {
            assertParses(filter().runTypes(List.of(RunType.LLM)).build(), "eq(run_type, 'llm')");
            assertParses(filter().name("say \"hi\"").build(), "eq(name, 'say \"hi\"')");
        }

        @Test
        void shouldDecodeEscapesInStrings() {
            assertParses(filter().name("a\"b'c\\d/e").build(), "eq(name, \"a\\\"b\\'c\\\\d\\/e\")");
            assertParses(filter().name("it's").build(), "eq(name, 'it\\'s')");
            assertParses(
                    filter().name("line\nnext\ttab\rret\bback\fform").build(),
                    "eq(name, \"line\\nnext\\ttab\\rret\\bback\\fform\")");
            assertParses(filter().name("café").build(), "eq(name, \"caf\\u00e9\")");
        }

        @Test
        void shouldKeepCommasParenthesesAndNonAsciiInsideStrings() {
            assertParses(filter().name("f(a, b) [x] – ü").build(), "eq(name, \"f(a, b) [x] – ü\")");
        }

        @Test
        void shouldAcceptAnEmptyString() {
            assertParses(filter().name("").build(), "eq(name, \"\")");
        }

        @Test
        void shouldIgnoreWhitespaceBetweenTokens() {
            RunFilter expected = filter().runTypes(List.of(RunType.LLM, RunType.TOOL))
                    .isRoot(true)
                    .build();
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
                    7,
                    "empty search text at position 7: give at least one word, e.g. search(\"timeout\")");
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
                    12,
                    "negative latency at position 12: lt(latency, -1) can never match; latency is never below 0");
            assertRejected(
                    "gt(total_tokens, -5)",
                    17,
                    "negative total_tokens at position 17: gt(total_tokens, -5) can never match;"
                            + " total_tokens is never below 0");
            assertRejected(
                    "gt(total_cost, -0.5)",
                    15,
                    "negative total_cost at position 15: gt(total_cost, -0.5) can never match;"
                            + " total_cost is never below 0");
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
                    17,
                    "empty feedback_key at position 17: name the feedback, e.g. eq(feedback_key, \"correctness\")");
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
            assertRejected("in(tags, [])", 9, "empty list at position 9: in(tags, [...]) needs at least one value");
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
            for (int level = 0; level <= FilterLanguage.MAX_NESTING; level++) {
                text = "and(" + text + ")";
            }
            assertRejected(
                    text, 32, "too deeply nested at position 32: and(...) and or(...) may nest at most 8 levels");
        }
    }
}
