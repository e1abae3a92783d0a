package io.tracegql.store;

import java.util.List;

/** One page of traces and whether more follow it. */
public record TracePage(List<TraceRecord> traces, boolean hasNextPage) {}
