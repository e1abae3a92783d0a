package io.tracegql.graphql.types;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

@Type("Quantile")
@Description("A quantile of durations: the share of values at or below it, and the value.")
public record Quantile(
        @Description("The probability asked for, from 0 to 1 (0.5 is the median).")
        double probability,

        @Description("The quantile in seconds (interpolated); null when no matching run has a value.")
        Double seconds) {}
