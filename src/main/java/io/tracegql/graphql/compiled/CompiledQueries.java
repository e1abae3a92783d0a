package io.tracegql.graphql.compiled;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.execution.RawVariables;
import graphql.execution.ValuesResolver;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.schema.GraphQLSchema;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.graphql.Documents;
import io.tracegql.graphql.Paging;
import io.tracegql.graphql.QueryLimits;
import io.tracegql.graphql.inputs.RunFilterInput;
import io.tracegql.graphql.inputs.RunOrderInput;
import io.tracegql.security.Tenancy;
import io.tracegql.store.CompiledReads;
import io.tracegql.store.JsonRead;

/**
 * Answers a query with one SQL statement that writes the JSON of its data, when every field it selects
 * has a compiled form ({@link SelectionWalk}): runs, run and trace with the run's catalogue fields, JSON
 * paths, child runs and parent runs to any depth, child run ids and feedback stats, connections with
 * nodes, edges and page info. Everything the general path applies comes first, by the same code: the
 * variables are coerced by graphql-java, the limits measured by {@link QueryLimits}, the tenant taken
 * from {@link Tenancy}, arguments checked as the resolvers check them.
 *
 * <p>Whatever goes wrong on the way (a variable of the wrong type, a limit, a missing key, an invalid
 * id, cursor, filter or path, a statement PostgreSQL refuses) is not reported here: the request is
 * answered by the general path instead, which reports it as it reports every error. A document none
 * of whose operations can take this path is remembered as such, and costs nothing more than a lookup.
 */
@ApplicationScoped
// The walk converts coerced arguments into the input classes as SmallRye does, by their fields.
@RegisterForReflection(
        targets = {
            RunFilterInput.class,
            RunFilterInput.TimeRange.class,
            RunFilterInput.FloatRange.class,
            RunFilterInput.IntRange.class,
            RunFilterInput.DecimalRange.class,
            RunFilterInput.MetadataMatch.class,
            RunFilterInput.FeedbackMatch.class,
            RunOrderInput.class
        })
public class CompiledQueries {

    private static final Logger LOG = Logger.getLogger(CompiledQueries.class);

    /** A document that is answered field by field whatever its variables. */
    private static final Documents.Plan GENERAL = new Documents.Plan() {};

    private final CompiledReads reads;
    private final Tenancy tenancy;
    private final QueryLimits limits;
    private final SelectionWalk walk;
    private final boolean enabled;

    public CompiledQueries(
            CompiledReads reads, Tenancy tenancy, Paging paging, TracegqlConfig config, ObjectMapper json) {
        this.reads = reads;
        this.tenancy = tenancy;
        this.limits = new QueryLimits(config);
        this.walk = new SelectionWalk(paging, json);
        // Field visibility other than the default hides fields by patterns the compiled forms do not know.
        this.enabled = config.graphql().compiled()
                && ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.smallrye-graphql.field-visibility", String.class)
                        .orElse("default")
                        .equals("default");
    }

    /**
     * The JSON of the data of a query's operation in UTF-8, read with one statement; null when the
     * general path answers it. Fails (and the general path answers) when anything on the way fails.
     */
    public Uni<Buffer> answer(
            Documents.Entry entry, String query, String operationName, Map<String, Object> variables) {
        if (!enabled || entry.plan() == GENERAL) {
            return Uni.createFrom().nullItem();
        }
        Document document = entry.parsed();
        NodeUtil.GetOperationResult found = NodeUtil.getOperation(document, operationName);
        OperationDefinition operation = found.operationDefinition;
        GraphQLSchema schema = CDI.current().select(GraphQLSchema.class).get();
        CoercedVariables coerced = ValuesResolver.coerceVariableValues(
                schema,
                operation.getVariableDefinitions(),
                RawVariables.of(variables),
                GraphQLContext.getDefault(),
                Locale.getDefault());
        Map<String, FragmentDefinition> fragments = found.fragmentsByName;
        var exceeded = limits.measure(schema, query, operation, fragments, coerced.toMap());
        if (exceeded != null) {
            throw exceeded;
        }
        ExecutableNormalizedOperation normalized =
                ExecutableNormalizedOperationFactory.createExecutableNormalizedOperation(
                        schema, operation, fragments, coerced);
        List<JsonRead.Root> roots;
        try {
            roots = walk.roots(normalized);
        } catch (SelectionWalk.NotCompilable e) {
            // Without directives, the fields selected do not depend on the variables.
            if (!hasDirectives(document)) {
                entry.plan(GENERAL);
            }
            LOG.debugf("answered field by field: %s has no compiled form", e.getMessage());
            return Uni.createFrom().nullItem();
        }
        return reads.read(tenancy.currentTenantId(), roots)
                .onFailure()
                .invoke(failure -> LOG.debugf("answered field by field after: %s", failure.getMessage()));
    }

    /** Whether the document may have directives: conservatively, any {@code @} in its printed form. */
    private static boolean hasDirectives(Document document) {
        return AstPrinter.printAst(document).indexOf('@') >= 0;
    }
}
