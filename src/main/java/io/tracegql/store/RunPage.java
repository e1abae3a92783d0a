package io.tracegql.store;

import java.util.List;

/** One page of runs and whether more follow it. */
public record RunPage(List<RunRecord> runs, boolean hasNextPage) {}
