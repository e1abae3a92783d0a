package io.tracegql.graphql.types;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.store.RunFacet;

@Type("RunFacet")
@Description("How many runs have one value of one facet.")
public record RunFacetCount(
        @NonNull @Description("The facet: name, run_type, status, tag, metadata (the keys), or metadata.<key>.")
        String key,

        @NonNull @Description("The value.") String value,
        @Description("How many runs have this value.") int count) {

    public static RunFacetCount of(RunFacet facet) {
        return new RunFacetCount(facet.key(), facet.value(), Math.toIntExact(facet.count()));
    }
}
