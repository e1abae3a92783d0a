package io.tracegql.graphql;

import java.lang.reflect.Method;
import java.util.function.Supplier;

import graphql.GraphQLException;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.graphql.execution.context.SmallRyeContextManager;
import io.smallrye.graphql.execution.datafetcher.PlugableDataFetcher;
import io.smallrye.graphql.execution.datafetcher.helper.FieldHelper;
import io.smallrye.graphql.schema.model.Field;
import io.smallrye.graphql.schema.model.Reference;
import io.smallrye.graphql.schema.model.Type;
import io.smallrye.graphql.spi.ClassloadingService;
import io.smallrye.graphql.spi.DataFetcherService;
import io.smallrye.graphql.transformation.AbstractDataFetcherException;

/**
 * Fetches the plain fields of the output types (a getter of {@code Run}, {@code Project}...) without
 * building a request context for each of them.
 *
 * <p>SmallRye GraphQL's own field fetcher clones the request context for every field of every object
 * and renders the field's selection set as JSON twice into it, so that a getter could ask for it. No
 * getter here does: they read the record they wrap. On a page of 50 runs of 8 fields that was a fifth
 * of the gateway's time. Resolvers (queries, mutations, batched {@code @Source} fields) keep their
 * context: they are not plain fields and do not come here. Values are transformed exactly as SmallRye
 * does it (dates, numbers, enums, adapters).
 *
 * <p>Registered in {@code META-INF/services/io.smallrye.graphql.spi.DataFetcherService}; for a native
 * image that file is included as a resource (quarkus.native.resources.includes) and this class is
 * registered for reflection, so that the service loader finds it there too.
 */
@RegisterForReflection
public class PlainFieldFetchers implements DataFetcherService {

    @Override
    public Integer getPriority() {
        return 100;
    }

    @Override
    public PlugableDataFetcher<?> getFieldDataFetcher(Field field, Type type, Reference owner) {
        return new PlainFieldFetcher(field, owner);
    }

    static final class PlainFieldFetcher implements PlugableDataFetcher<Object>, LightDataFetcher<Object> {

        private final Field field;
        private final Reference owner;
        private final FieldHelper fieldHelper;
        /** SmallRye's transformation reads the environment only to adapt a field or to wrap a value. */
        private final boolean needsEnvironment;
        /** Resolved on first use (the owner's class is not loadable while the schema is being built). */
        private volatile Accessor accessor;

        PlainFieldFetcher(Field field, Reference owner) {
            this.field = field;
            this.owner = owner;
            this.fieldHelper = new FieldHelper(field);
            this.needsEnvironment = field.hasWrapper() || field.isAdaptingWith() || field.isAdaptingTo();
        }

        @Override
        public Object get(DataFetchingEnvironment dfe) throws Exception {
            return fetch(dfe.getSource(), dfe);
        }

        @Override
        public Object get(GraphQLFieldDefinition definition, Object source, Supplier<DataFetchingEnvironment> dfe)
                throws Exception {
            return fetch(source, needsEnvironment ? dfe.get() : null);
        }

        private Object fetch(Object source, DataFetchingEnvironment dfe) throws Exception {
            Accessor read = accessor;
            if (read == null) {
                read = accessor();
                accessor = read;
            }
            Object value = read.get(source);
            try {
                return fieldHelper.transformOrAdaptResponse(value, dfe);
            } catch (AbstractDataFetcherException e) {
                // As SmallRye's fetcher: an untransformable value is returned as it is.
                return value;
            } finally {
                // SmallRye's fetcher leaves no context on the thread after a field; neither does this one,
                // so that the next resolver restores its request's context from graphql-java's.
                SmallRyeContextManager.clearCurrentSmallRyeContext();
            }
        }

        private Accessor accessor() {
            try {
                Class<?> type = ClassloadingService.get().loadClass(owner.getClassName());
                if (field.getMethodName() == null) {
                    java.lang.reflect.Field javaField = type.getField(field.getPropertyName());
                    return javaField::get;
                }
                Method method = type.getMethod(field.getMethodName());
                return method::invoke;
            } catch (ReflectiveOperationException e) {
                throw new GraphQLException(e);
            }
        }
    }

    @FunctionalInterface
    private interface Accessor {
        Object get(Object source) throws Exception;
    }
}
