package io.tracegql.graphql;

import java.util.List;
import jakarta.enterprise.inject.spi.CDI;

import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.spi.EventingService;

import io.tracegql.config.TracegqlConfig;

/**
 * Adds the gateway's own instrumentation to the GraphQL engine that serves every operation over HTTP
 * and WebSocket: {@link QueryLimits} before an operation runs, {@link ErrorReporting} on what it
 * answers. SmallRye GraphQL's own instrumentation keeps running after them; the parsed and validated
 * documents come from {@link Documents}, which the HTTP endpoint shares, instead of SmallRye's cache.
 *
 * <p>SmallRye GraphQL has no setting for instrumentation, and its builder does not tell what it holds:
 * the engine is built once here to read SmallRye's instrumentation, and a copy of its builder (every
 * setting kept) gets the chain. Registered in {@code
 * META-INF/services/io.smallrye.graphql.spi.EventingService}; without a config key it is always enabled.
 */
@RegisterForReflection
public class Instrumentations implements EventingService {

    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        // SmallRye GraphQL keeps the services it loaded once for the whole JVM; after a live reload in
        // dev mode this one belongs to the previous application, whose classes CDI no longer knows,
        // so the engine is extended by the copy of the application that runs now.
        ClassLoader application = Application.currentApplication().getClass().getClassLoader();
        if (application != getClass().getClassLoader()) {
            return current(application).beforeGraphQLBuild(builder);
        }
        TracegqlConfig config = CDI.current().select(TracegqlConfig.class).get();
        GraphQL smallRye = builder.build();
        List<Instrumentation> chain =
                List.of(new QueryLimits(config), new ErrorReporting(), smallRye.getInstrumentation());
        GraphQL.Builder[] extended = new GraphQL.Builder[1];
        Documents documents = CDI.current().select(Documents.class).get();
        smallRye.transform(copy -> extended[0] =
                copy.instrumentation(new ChainedInstrumentation(chain)).preparsedDocumentProvider(documents));
        return extended[0];
    }

    private static EventingService current(ClassLoader application) {
        try {
            return (EventingService) Class.forName(Instrumentations.class.getName(), true, application)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the running application has no " + Instrumentations.class, e);
        }
    }
}
