package io.tracegql.domain;

import java.util.List;

/**
 * Aggregate of the feedback given under one key: how many, the mean of the numeric scores, and, for
 * categorical feedback, how often each value was given.
 */
public record FeedbackStat(String key, long count, Double meanScore, List<ValueCount> values) {

    public record ValueCount(String value, long count) {}
}
