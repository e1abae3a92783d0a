package io.tracegql.graphql.types;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("RunFacet")
@Description("How many runs have one value of one facet.")
public record RunFacetCount(
        @NonNull @Description("The facet: name, run_type, status, tag, or metadata.<key>.")
        String key,

        @NonNull @Description("The value.") String value,
        @Description("How many runs have this value.") int count) {}
