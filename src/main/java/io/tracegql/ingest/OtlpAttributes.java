package io.tracegql.ingest;

import java.util.List;
import java.util.Map;

import static java.util.Map.entry;

/**
 * The one table that maps the attributes GenAI instrumentations put on spans (OpenTelemetry's GenAI
 * semantic conventions, OpenInference, OpenLLMetry/Traceloop, LangSmith's own) to run fields: for each
 * target, the attribute keys that may supply it, in precedence order. The first key present with a
 * usable value wins; its attribute is then not repeated in the run's metadata, while every attribute
 * that supplied nothing (absent from the table, shadowed by a key before it, or unusable) is kept there
 * under its own key. {@link OtlpSpans} applies the table; the README shows it.
 */
final class OtlpAttributes {

    /** What an attribute becomes. */
    enum Target {
        RUN_TYPE,
        INPUTS,
        OUTPUTS,
        /** {@code extra.metadata.ls_model_name}, which cost estimation reads. */
        MODEL,
        /** {@code extra.metadata.ls_provider}. */
        PROVIDER,
        PROMPT_TOKENS,
        COMPLETION_TOKENS,
        TOTAL_TOKENS,
        /** One entry of {@code prompt_token_details}, named by the rule. */
        PROMPT_TOKEN_DETAIL(true),
        /** One entry of {@code completion_token_details}, named by the rule. */
        COMPLETION_TOKEN_DETAIL(true),
        TAGS,
        /** One metadata entry, named by the rule (thread keys are read by domain/ThreadId). */
        METADATA_ENTRY(true),
        /** A JSON object whose entries join the metadata. */
        METADATA,
        /** The project, from a resource attribute, when the request names none in a header. */
        PROJECT;

        private final boolean entries;

        Target() {
            this(false);
        }

        Target(boolean entries) {
            this.entries = entries;
        }

        /** Whether the target is a map of entries, each rule supplying the one its name names. */
        boolean entries() {
            return entries;
        }
    }

    /** How an attribute's value is read for its target. */
    enum Read {
        /** A string. */
        TEXT,
        /** A whole number (an integer, an integral double, or a string of digits). */
        INTEGER,
        /**
         * A JSON document as a string, or any value: an object stays as it is, anything else is put
         * under the rule's name.
         */
        PAYLOAD,
        /** A JSON array of chat messages as a string, or an array: becomes {@code {"messages": [...]}}. */
        MESSAGES,
        /** Numbered keys {@code <key>.<n>.<field>} (role, content...): become {@code {"messages": [...]}}. */
        NUMBERED_MESSAGES,
        /** A value of {@code values}, mapped to a run type; any other value supplies nothing. */
        KIND,
        /** An array of strings, or one string of comma-separated tags. */
        STRINGS,
        /** A JSON object as a string, or an object. */
        OBJECT
    }

    /** Where the attribute is looked for. */
    enum Scope {
        SPAN,
        RESOURCE
    }

    record Rule(Scope scope, String key, Target target, Read read, String name, Map<String, String> values) {

        static Rule span(String key, Target target, Read read) {
            return new Rule(Scope.SPAN, key, target, read, null, Map.of());
        }

        static Rule span(String key, Target target, Read read, String name) {
            return new Rule(Scope.SPAN, key, target, read, name, Map.of());
        }

        static Rule kind(String key, Map<String, String> values) {
            return new Rule(Scope.SPAN, key, Target.RUN_TYPE, Read.KIND, null, values);
        }

        static Rule resource(String key, Target target) {
            return new Rule(Scope.RESOURCE, key, target, Read.TEXT, null, Map.of());
        }
    }

    private static final String LLM = "llm";
    private static final String CHAIN = "chain";
    private static final String TOOL = "tool";
    private static final String RETRIEVER = "retriever";
    private static final String EMBEDDING = "embedding";

    /** The rules, grouped by target, each group in precedence order. */
    static final List<Rule> RULES = List.of(
            Rule.kind(
                    "langsmith.span.kind",
                    Map.of(
                            LLM, LLM, CHAIN, CHAIN, TOOL, TOOL, RETRIEVER, RETRIEVER, EMBEDDING, EMBEDDING, "prompt",
                            "prompt", "parser", "parser")),
            Rule.kind(
                    "openinference.span.kind",
                    Map.ofEntries(
                            entry("LLM", LLM),
                            entry("CHAIN", CHAIN),
                            entry("AGENT", CHAIN),
                            entry("TOOL", TOOL),
                            entry("RETRIEVER", RETRIEVER),
                            entry("RERANKER", RETRIEVER),
                            entry("EMBEDDING", EMBEDDING),
                            entry("PROMPT", "prompt"),
                            entry("GUARDRAIL", CHAIN),
                            entry("EVALUATOR", CHAIN))),
            Rule.kind(
                    "gen_ai.operation.name",
                    Map.of(
                            "chat", LLM,
                            "text_completion", LLM,
                            "generate_content", LLM,
                            "embeddings", EMBEDDING,
                            "execute_tool", TOOL,
                            "invoke_agent", CHAIN,
                            "create_agent", CHAIN)),
            Rule.kind("traceloop.span.kind", Map.of("workflow", CHAIN, "task", CHAIN, "agent", CHAIN, TOOL, TOOL)),
            Rule.kind("llm.request.type", Map.of("chat", LLM, "completion", LLM, EMBEDDING, EMBEDDING)),
            Rule.span("input.value", Target.INPUTS, Read.PAYLOAD, "input"),
            Rule.span("gen_ai.input.messages", Target.INPUTS, Read.MESSAGES),
            Rule.span("gen_ai.prompt", Target.INPUTS, Read.NUMBERED_MESSAGES),
            Rule.span("traceloop.entity.input", Target.INPUTS, Read.PAYLOAD, "input"),
            Rule.span("gen_ai.tool.call.arguments", Target.INPUTS, Read.PAYLOAD, "arguments"),
            Rule.span("output.value", Target.OUTPUTS, Read.PAYLOAD, "output"),
            Rule.span("gen_ai.output.messages", Target.OUTPUTS, Read.MESSAGES),
            Rule.span("gen_ai.completion", Target.OUTPUTS, Read.NUMBERED_MESSAGES),
            Rule.span("traceloop.entity.output", Target.OUTPUTS, Read.PAYLOAD, "output"),
            Rule.span("gen_ai.tool.call.result", Target.OUTPUTS, Read.PAYLOAD, "result"),
            Rule.span("gen_ai.request.model", Target.MODEL, Read.TEXT),
            Rule.span("gen_ai.response.model", Target.MODEL, Read.TEXT),
            Rule.span("llm.model_name", Target.MODEL, Read.TEXT),
            Rule.span("gen_ai.provider.name", Target.PROVIDER, Read.TEXT),
            Rule.span("gen_ai.system", Target.PROVIDER, Read.TEXT),
            Rule.span("llm.provider", Target.PROVIDER, Read.TEXT),
            Rule.span("llm.system", Target.PROVIDER, Read.TEXT),
            Rule.span("gen_ai.usage.input_tokens", Target.PROMPT_TOKENS, Read.INTEGER),
            Rule.span("gen_ai.usage.prompt_tokens", Target.PROMPT_TOKENS, Read.INTEGER),
            Rule.span("llm.token_count.prompt", Target.PROMPT_TOKENS, Read.INTEGER),
            Rule.span("gen_ai.usage.output_tokens", Target.COMPLETION_TOKENS, Read.INTEGER),
            Rule.span("gen_ai.usage.completion_tokens", Target.COMPLETION_TOKENS, Read.INTEGER),
            Rule.span("llm.token_count.completion", Target.COMPLETION_TOKENS, Read.INTEGER),
            Rule.span("gen_ai.usage.total_tokens", Target.TOTAL_TOKENS, Read.INTEGER),
            Rule.span("llm.usage.total_tokens", Target.TOTAL_TOKENS, Read.INTEGER),
            Rule.span("llm.token_count.total", Target.TOTAL_TOKENS, Read.INTEGER),
            Rule.span("gen_ai.usage.cache_read.input_tokens", Target.PROMPT_TOKEN_DETAIL, Read.INTEGER, "cache_read"),
            Rule.span("gen_ai.usage.cache_read_input_tokens", Target.PROMPT_TOKEN_DETAIL, Read.INTEGER, "cache_read"),
            Rule.span(
                    "llm.token_count.prompt_details.cache_read",
                    Target.PROMPT_TOKEN_DETAIL,
                    Read.INTEGER,
                    "cache_read"),
            Rule.span(
                    "gen_ai.usage.cache_creation.input_tokens",
                    Target.PROMPT_TOKEN_DETAIL,
                    Read.INTEGER,
                    "cache_creation"),
            Rule.span(
                    "gen_ai.usage.cache_creation_input_tokens",
                    Target.PROMPT_TOKEN_DETAIL,
                    Read.INTEGER,
                    "cache_creation"),
            Rule.span(
                    "llm.token_count.prompt_details.cache_write",
                    Target.PROMPT_TOKEN_DETAIL,
                    Read.INTEGER,
                    "cache_creation"),
            Rule.span("llm.token_count.prompt_details.audio", Target.PROMPT_TOKEN_DETAIL, Read.INTEGER, "audio"),
            Rule.span("gen_ai.usage.reasoning_tokens", Target.COMPLETION_TOKEN_DETAIL, Read.INTEGER, "reasoning"),
            Rule.span(
                    "llm.token_count.completion_details.reasoning",
                    Target.COMPLETION_TOKEN_DETAIL,
                    Read.INTEGER,
                    "reasoning"),
            Rule.span(
                    "llm.token_count.completion_details.audio", Target.COMPLETION_TOKEN_DETAIL, Read.INTEGER, "audio"),
            Rule.span("langsmith.span.tags", Target.TAGS, Read.STRINGS),
            Rule.span("tag.tags", Target.TAGS, Read.STRINGS),
            Rule.span("langsmith.metadata.thread_id", Target.METADATA_ENTRY, Read.TEXT, "thread_id"),
            Rule.span("session.id", Target.METADATA_ENTRY, Read.TEXT, "session_id"),
            Rule.span("gen_ai.conversation.id", Target.METADATA_ENTRY, Read.TEXT, "conversation_id"),
            Rule.span("user.id", Target.METADATA_ENTRY, Read.TEXT, "user_id"),
            Rule.span("metadata", Target.METADATA, Read.OBJECT),
            Rule.resource("openinference.project.name", Target.PROJECT),
            Rule.resource("service.name", Target.PROJECT));

    private OtlpAttributes() {}
}
