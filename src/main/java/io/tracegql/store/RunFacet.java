package io.tracegql.store;

/** How many runs have one value of one facet (name, run_type, status, tag, metadata.<key>). */
public record RunFacet(String key, String value, long count) {}
