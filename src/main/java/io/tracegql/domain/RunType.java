package io.tracegql.domain;

import java.util.Locale;

/** What kind of operation a run represents. Stored in lower case, as LangSmith clients send it. */
public enum RunType {
    TOOL,
    CHAIN,
    LLM,
    RETRIEVER,
    EMBEDDING,
    PROMPT,
    PARSER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunType fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
