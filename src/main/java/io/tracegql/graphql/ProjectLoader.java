package io.tracegql.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.tracegql.config.TracegqlConfig;
import io.tracegql.graphql.types.Project;
import io.tracegql.store.FeedbackStore;
import io.tracegql.store.ProjectRecord;
import io.tracegql.store.ProjectStore;

/**
 * Turns project records into GraphQL projects, loading the selected aggregates for all of them at
 * once: one statement per kind of aggregate, whatever the number of projects.
 */
@ApplicationScoped
class ProjectLoader {

    private final ProjectStore projects;
    private final FeedbackStore feedback;

    private final String appUrl;

    ProjectLoader(ProjectStore projects, FeedbackStore feedback, TracegqlConfig config) {
        this.projects = projects;
        this.feedback = feedback;
        this.appUrl = config.appUrl().orElse(null);
    }

    /** Projects in the order of the records (null stays null), with the selected parts filled in. */
    Uni<List<Project>> load(UUID tenantId, List<ProjectRecord> records, Selections.ProjectParts parts) {
        List<Project> result = new ArrayList<>(records.size());
        records.forEach(r -> result.add(r == null ? null : new Project(r, appUrl)));
        List<Project> present = result.stream().filter(Objects::nonNull).toList();
        List<UUID> ids = present.stream().map(p -> p.record().id()).toList();
        if (ids.isEmpty()) {
            return Uni.createFrom().item(result);
        }
        List<Uni<Void>> loads = new ArrayList<>();
        if (parts.stats()) {
            loads.add(projects.statsByProjectIds(tenantId, ids, parts.unpricedRunCount())
                    .invoke(stats -> fill(present, stats, Project::attachStats))
                    .replaceWithVoid());
        }
        if (parts.facets()) {
            loads.add(projects.runFacetsByProjectIds(tenantId, ids)
                    .invoke(facets -> fill(present, facets, Project::attachRunFacets))
                    .replaceWithVoid());
        }
        if (parts.feedbackStats()) {
            loads.add(feedback.runFeedbackStatsByProjectIds(tenantId, ids)
                    .invoke(stats -> fill(present, stats, Project::attachFeedbackStats))
                    .replaceWithVoid());
        }
        if (parts.sessionFeedbackStats()) {
            loads.add(feedback.sessionFeedbackStatsByProjectIds(tenantId, ids)
                    .invoke(stats -> fill(present, stats, Project::attachSessionFeedbackStats))
                    .replaceWithVoid());
        }
        if (loads.isEmpty()) {
            return Uni.createFrom().item(result);
        }
        return Uni.join().all(loads).andFailFast().replaceWith(result);
    }

    private static <T> void fill(List<Project> projects, List<T> values, BiConsumer<Project, T> setter) {
        for (int i = 0; i < projects.size(); i++) {
            setter.accept(projects.get(i), values.get(i));
        }
    }
}
