package org.recsys.plugin.action;

import org.elasticsearch.tasks.RemovedTaskListener;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskManager;

import java.util.concurrent.atomic.LongAdder;

/**
 * This node's trainings, read from its task manager: those running now (the train action's tasks) and those that
 * ended since the node started, however they ended (each version's outcome is in the model store).
 */
public final class TrainingTasks implements RemovedTaskListener {

    private final TaskManager taskManager;
    private final LongAdder finished = new LongAdder();

    public TrainingTasks(TaskManager taskManager) {
        this.taskManager = taskManager;
        taskManager.registerRemovedTaskListener(this);
    }

    private static boolean isTraining(Task task) {
        return TrainModelAction.TYPE.name().equals(task.getAction());
    }

    @Override
    public void onRemoved(Task task) {
        if (isTraining(task)) {
            finished.increment();
        }
    }

    public long running() {
        return taskManager.getTasks().values().stream().filter(TrainingTasks::isTraining).count();
    }

    public long finished() {
        return finished.sum();
    }
}
