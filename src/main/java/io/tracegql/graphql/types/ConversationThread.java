package io.tracegql.graphql.types;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import io.tracegql.store.ThreadRecord;

/**
 * A conversation: the traces of a project whose root runs share a thread id. Its traces and feedback
 * are batched in {@code ThreadResolvers}; token and cost totals are read only when selected.
 */
@Type("Thread")
@Description("A conversation: the traces (turns) of a project whose root runs share a thread id, with figures"
        + " over them. Turn figures cover the root runs; token and cost totals cover the llm runs of the whole"
        + " traces.")
public class ConversationThread {

    private final ThreadRecord thread;

    public ConversationThread(ThreadRecord thread) {
        this.thread = thread;
    }

    @Ignore
    public ThreadRecord record() {
        return thread;
    }

    @NonNull
    @Description("The thread id: metadata thread_id, session_id or conversation_id of its runs, as sent.")
    public String getThreadId() {
        return thread.threadId();
    }

    @NonNull
    @Id
    @Description("The project the thread belongs to.")
    public UUID getProjectId() {
        return thread.projectId();
    }

    @NonNull
    @Description("How many traces (turns) the thread has.")
    public long getTurnCount() {
        return thread.turnCount();
    }

    @NonNull
    @Description("When the first turn started.")
    public OffsetDateTime getFirstStartTime() {
        return thread.firstStartTime();
    }

    @NonNull
    @Description("When the latest turn started.")
    public OffsetDateTime getLastStartTime() {
        return thread.lastStartTime();
    }

    @Description("The inputs preview of the first turn.")
    public String getFirstInputsPreview() {
        return thread.firstInputsPreview();
    }

    @Description("The outputs preview of the latest turn.")
    public String getLastOutputsPreview() {
        return thread.lastOutputsPreview();
    }

    @Description("Median latency of the turns, in seconds; null while none has finished.")
    public Double getLatencyP50() {
        return thread.latencyP50();
    }

    @Description("99th percentile latency of the turns, in seconds.")
    public Double getLatencyP99() {
        return thread.latencyP99();
    }

    @NonNull
    @Description("How many turns failed.")
    public long getErrorCount() {
        return thread.errorCount();
    }

    @Description("The error preview of the latest failed turn.")
    public String getLastError() {
        return thread.lastError();
    }

    @Description("Prompt tokens of the llm runs of the thread's traces.")
    public Long getPromptTokens() {
        return thread.totals() == null ? null : thread.totals().promptTokens();
    }

    @Description("Completion tokens of the llm runs of the thread's traces.")
    public Long getCompletionTokens() {
        return thread.totals() == null ? null : thread.totals().completionTokens();
    }

    @Description("Total tokens of the llm runs of the thread's traces.")
    public Long getTotalTokens() {
        return thread.totals() == null ? null : thread.totals().totalTokens();
    }

    @Description("Prompt cost (USD) of the llm runs of the thread's traces.")
    public BigDecimal getPromptCost() {
        return thread.totals() == null ? null : thread.totals().promptCost();
    }

    @Description("Completion cost (USD) of the llm runs of the thread's traces.")
    public BigDecimal getCompletionCost() {
        return thread.totals() == null ? null : thread.totals().completionCost();
    }

    @Description("Total cost (USD) of the llm runs of the thread's traces.")
    public BigDecimal getTotalCost() {
        return thread.totals() == null ? null : thread.totals().totalCost();
    }
}
