package io.tracegql.graphql.types;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

@Type("ProjectRetention")
@Description("How long a project keeps its traces; traces it no longer keeps are deleted within"
        + " tracegql.retention.interval (1 h by default), whole, oldest first.")
public record ProjectRetention(
        @Description("Traces whose root started more than this many days ago are deleted; null keeps them.")
        Integer maxAgeDays,

        @Description("Only the newest this many traces are kept; null keeps them all.")
        Integer maxTraces) {}
