package io.tracegql.graphql;

import java.util.Map;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import io.tracegql.graphql.errors.InvalidInputException;
import io.tracegql.graphql.inputs.CreateFeedbackInput;
import io.tracegql.graphql.inputs.UpdateFeedbackInput;
import io.tracegql.graphql.types.Feedback;
import io.tracegql.security.Tenancy;
import io.tracegql.store.FeedbackWrites;
import io.tracegql.store.RejectedWriteException;

/** Mutations of feedback on runs and projects. */
@GraphQLApi
public class FeedbackMutations {

    /** Where feedback comes from when the client does not say: LangSmith's default for feedback sent by an app. */
    private static final Map<String, Object> APP_SOURCE = Map.of("type", "app");

    private final FeedbackWrites writes;
    private final Tenancy tenancy;

    public FeedbackMutations(FeedbackWrites writes, Tenancy tenancy) {
        this.writes = writes;
        this.tenancy = tenancy;
    }

    @Mutation("createFeedback")
    @Description("Records feedback on a run (or on a whole project). The run or project must exist.")
    public Uni<@NonNull Feedback> createFeedback(@Name("input") @NonNull CreateFeedbackInput input) {
        UUID runId = Ids.parse(input.runId, "input.runId");
        UUID projectId = Ids.parse(input.projectId, "input.projectId");
        if (runId == null && projectId == null) {
            throw new InvalidInputException(
                    "give input.runId (feedback on a run) or input.projectId alone (feedback on a whole project)");
        }
        if (input.key.isBlank()) {
            throw new InvalidInputException("input.key must not be blank; use a name such as \"correctness\"");
        }
        Map<String, Object> source = JsonInput.object(input.feedbackSource, "input.feedbackSource");
        FeedbackWrites.NewFeedback feedback = new FeedbackWrites.NewFeedback(
                runId,
                projectId,
                input.key,
                input.score,
                JsonInput.plain(input.value),
                input.comment,
                JsonInput.object(input.correction, "input.correction"),
                source == null ? APP_SOURCE : source);
        return writes.create(tenancy.currentTenantId(), feedback)
                .onFailure(RejectedWriteException.class)
                .transform(rejected -> new InvalidInputException(rejected.getMessage()))
                .map(Feedback::new);
    }

    @Mutation("updateFeedback")
    @Description("Changes the fields given of feedback; null when there is no such feedback.")
    public Uni<Feedback> updateFeedback(
            @Name("id") @NonNull @Id String id, @Name("input") @NonNull UpdateFeedbackInput input) {
        UUID feedbackId = Ids.parse(id, "id");
        FeedbackWrites.FeedbackChanges changes = new FeedbackWrites.FeedbackChanges(
                input.score,
                JsonInput.plain(input.value),
                input.comment,
                JsonInput.object(input.correction, "input.correction"));
        return writes.update(tenancy.currentTenantId(), feedbackId, changes)
                .map(updated -> updated == null ? null : new Feedback(updated));
    }

    @Mutation("deleteFeedback")
    @Description("Deletes feedback; false when there is no such feedback.")
    public Uni<@NonNull Boolean> deleteFeedback(@Name("id") @NonNull @Id String id) {
        return writes.delete(tenancy.currentTenantId(), Ids.parse(id, "id"));
    }
}
