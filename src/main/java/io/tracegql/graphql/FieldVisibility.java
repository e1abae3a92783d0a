package io.tracegql.graphql;

import jakarta.enterprise.inject.spi.CDI;

import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.visibility.DefaultGraphqlFieldVisibility;
import io.smallrye.graphql.spi.EventingService;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Runs queries with graphql-java's plain field visibility when every field is visible.
 *
 * <p>SmallRye GraphQL reads {@code quarkus.smallrye-graphql.field-visibility=default} (the default) as a
 * list of patterns to block, the one pattern {@code default}, and graphql-java then matches that regular
 * expression against {@code Type.field} for every field of every object of every answer: a few % of a
 * page of runs, to block nothing. With the default setting, queries run on the same schema with the
 * default visibility, which shows the same fields; any other setting (patterns, {@code
 * no-introspection}) applies as configured.
 *
 * <p>Registered in {@code META-INF/services/io.smallrye.graphql.spi.EventingService}; without a config
 * key it is always enabled.
 */
public class FieldVisibility implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder graphql) {
        String configured = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.smallrye-graphql.field-visibility", String.class)
                .orElse("default");
        if (!configured.equals("default")) {
            return graphql;
        }
        GraphQLSchema schema = CDI.current().select(GraphQLSchema.class).get();
        return graphql.schema(schema.transformWithoutTypes(builder -> builder.codeRegistry(schema.getCodeRegistry()
                .transform(registry ->
                        registry.fieldVisibility(DefaultGraphqlFieldVisibility.DEFAULT_FIELD_VISIBILITY)))));
    }
}
