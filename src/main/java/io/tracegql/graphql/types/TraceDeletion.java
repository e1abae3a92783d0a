package io.tracegql.graphql.types;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

@Type("TraceDeletion")
@Description("What a deletion of traces removed: whole traces, with their runs' feedback, attachments and share links.")
public record TraceDeletion(
        @Description("Traces deleted.") int traceCount,

        @Description("Runs deleted (every run of those traces).")
        int runCount,

        @Description("How long the deletion took, in milliseconds.")
        int milliseconds) {}
