package org.recsys.plugin;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.NamedDiff;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.metadata.Metadata;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.indices.SystemIndexDescriptor;
import org.elasticsearch.indices.breaker.BreakerSettings;
import org.elasticsearch.ingest.Processor;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.CircuitBreakerPlugin;
import org.elasticsearch.plugins.IngestPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.ScriptPlugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.plugins.SystemIndexPlugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.script.ScriptContext;
import org.elasticsearch.script.ScriptEngine;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ExecutorBuilder;
import org.elasticsearch.threadpool.FixedExecutorBuilder;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ParseField;
import org.recsys.ingest.EncodingOptions;
import org.recsys.ingest.ReusableVectorLookup;
import org.recsys.ingest.ServedProjections;
import org.recsys.ingest.TextEncoders;
import org.recsys.ingest.TextVectorProcessor;
import org.recsys.ingest.WalsProjectionProcessor;
import org.recsys.plugin.action.DeleteEncoderAction;
import org.recsys.plugin.action.DeleteModelAction;
import org.recsys.plugin.action.EvaluateModelAction;
import org.recsys.plugin.action.GetEncodersAction;
import org.recsys.plugin.action.GetModelsAction;
import org.recsys.plugin.action.PutEncoderAction;
import org.recsys.plugin.action.RecommendAction;
import org.recsys.plugin.action.RecsysStatsAction;
import org.recsys.plugin.action.RefreshServedModelAction;
import org.recsys.plugin.action.TrainModelAction;
import org.recsys.plugin.action.TrainingTasks;
import org.recsys.plugin.encoder.EncoderMetadata;
import org.recsys.plugin.encoder.EncoderRegistry;
import org.recsys.plugin.encoder.InferenceSettings;
import org.recsys.plugin.evaluation.ModelEvaluation;
import org.recsys.plugin.knn.RecsysUserVectorBuilder;
import org.recsys.plugin.memory.RecsysBreaker;
import org.recsys.plugin.recommend.Recommender;
import org.recsys.plugin.rescore.FusedRescorerBuilder;
import org.recsys.plugin.rest.RestCatModelsAction;
import org.recsys.plugin.rest.RestDeleteEncoderAction;
import org.recsys.plugin.rest.RestDeleteModelAction;
import org.recsys.plugin.rest.RestEncoderStatsAction;
import org.recsys.plugin.rest.RestEvaluateModelAction;
import org.recsys.plugin.rest.RestGetEncodersAction;
import org.recsys.plugin.rest.RestGetModelsAction;
import org.recsys.plugin.rest.RestPutEncoderAction;
import org.recsys.plugin.rest.RestRecommendAction;
import org.recsys.plugin.rest.RestRecsysStatsAction;
import org.recsys.plugin.rest.RestTrainModelAction;
import org.recsys.plugin.rest.RestUserAction;
import org.recsys.plugin.script.RecsysScriptEngine;
import org.recsys.plugin.serving.ModelUser;
import org.recsys.plugin.serving.ServedModels;
import org.recsys.plugin.serving.UserVectorAction;
import org.recsys.plugin.serving.UserVectors;
import org.recsys.plugin.store.ModelStore;
import org.recsys.plugin.store.SystemContextClient;
import org.recsys.plugin.threadpool.RecsysPools;
import org.recsys.plugin.training.MeluTraining;
import org.recsys.plugin.training.ModelTask;
import org.recsys.plugin.training.ModelTraining;
import org.recsys.plugin.training.SequentialTraining;
import org.recsys.plugin.training.TrainingNodes;
import org.recsys.plugin.training.TrainingSpecs;
import org.recsys.plugin.training.WalsTraining;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The recsys plugin: the one class Elasticsearch loads, wiring every extension point to its package. */
public class RecsysPlugin extends Plugin
    implements
        ScriptPlugin,
        IngestPlugin,
        ActionPlugin,
        SystemIndexPlugin,
        SearchPlugin,
        CircuitBreakerPlugin {

    private static final TimeValue REFRESH_TIMEOUT = TimeValue.timeValueSeconds(30);

    private final SetOnce<EncoderRegistry> registry = new SetOnce<>();
    private final SetOnce<ServedModels> servedModels = new SetOnce<>();
    private final SetOnce<CircuitBreaker> breaker = new SetOnce<>();
    private final Settings settings;

    public RecsysPlugin(Settings settings) {
        this.settings = settings;
    }

    /** Publishes whether this node may train, for the node that receives a training to choose where it runs. */
    @Override
    public Settings additionalSettings() {
        return TrainingNodes.attribute(settings);
    }

    @Override
    public Collection<?> createComponents(PluginServices services) {
        configureDjl(services.environment().dataDirs()[0]);
        RecsysBreaker memory = new RecsysBreaker(breaker.get());
        EncoderRegistry r = new EncoderRegistry(
            services.environment().configDir(),
            services.clusterService(),
            services.threadPool().executor(RecsysPools.INFERENCE),
            InferenceSettings.of(services.environment().settings(), services.threadPool().info(RecsysPools.INFERENCE).getMax()),
            memory
        );
        services.clusterService().addHighPriorityApplier(r);
        registry.set(r);
        Client system = new SystemContextClient(services.client());
        ModelStore store = new ModelStore(services.client(), services.clusterService());
        servedModels.set(
            new ServedModels(
                store,
                services.threadPool().generic(),
                ServedModels.REFRESH_INTERVAL.get(services.environment().settings()),
                ServedModels.CACHE_SIZE.get(services.environment().settings()),
                memory
            )
        );
        return List.of(
            r,
            store,
            servedModels.get(),
            new UserVectors(services.client(), servedModels.get()),
            new Recommender(services.client()),
            // Trainers read and write the user's indices as the calling user; the claim's task lookup and the
            // refresh of every node are the plugin's own business.
            new ModelTraining(
                services.clusterService().getNodeName(),
                system,
                store,
                List.of(
                    new WalsTraining(services.client(), store),
                    new MeluTraining(services.client(), store),
                    new SequentialTraining(services.client(), store)
                ),
                memory,
                refreshEveryNode(system)
            ),
            new ModelEvaluation(services.client(), store, memory),
            new TrainingTasks(services.taskManager())
        );
    }

    /** Tells every node that a model's served version changed, and waits for them (a node that does not answer refreshes later). */
    private static Consumer<String> refreshEveryNode(Client client) {
        return modelId -> client.execute(RefreshServedModelAction.TYPE, new RefreshServedModelAction.Request(modelId))
            .actionGet(REFRESH_TIMEOUT);
    }

    /**
     * DJL unpacks the PyTorch natives shipped in the zip into the data path (entitled as {@code <data>/recsys/djl})
     * and must never reach for the network; both are system properties read when DJL's engine loads.
     */
    private static void configureDjl(Path dataDir) {
        Path cache = dataDir.resolve("recsys").resolve("djl");
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create DJL's cache directory " + cache, e);
        }
        System.setProperty("DJL_CACHE_DIR", cache.toString());
        System.setProperty("ENGINE_CACHE_DIR", cache.toString());
        System.setProperty("ai.djl.offline", "true");
        // JNA (used by DJL) would otherwise unpack its dispatcher under the user's home, which is not entitled.
        System.setProperty("jna.tmpdir", cache.resolve("jna").toString());
    }

    @Override
    public List<Setting<?>> getSettings() {
        List<Setting<?>> all = new ArrayList<>(InferenceSettings.all());
        all.add(ServedModels.REFRESH_INTERVAL);
        all.add(ServedModels.CACHE_SIZE);
        all.add(TrainingNodes.ENABLED);
        return all;
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        return List.of(
            new FixedExecutorBuilder(
                settings,
                RecsysPools.INFERENCE,
                InferenceSettings.defaultWorkers(settings),
                1000,
                "thread_pool." + RecsysPools.INFERENCE,
                EsExecutors.TaskTrackingConfig.DO_NOT_TRACK
            ),
            // Each training parallelises itself over the cores; two let an evaluation run beside a training.
            new FixedExecutorBuilder(
                settings,
                RecsysPools.TRAINING,
                2,
                100,
                "thread_pool." + RecsysPools.TRAINING,
                EsExecutors.TaskTrackingConfig.DO_NOT_TRACK
            ),
            // Two trainings at a time queue at most 2·(threads − 1) tasks here; threads are capped at the allocated processors.
            new FixedExecutorBuilder(
                settings,
                RecsysPools.TRAINING_WORKERS,
                EsExecutors.allocatedProcessors(settings),
                100,
                "thread_pool." + RecsysPools.TRAINING_WORKERS,
                EsExecutors.TaskTrackingConfig.DO_NOT_TRACK
            )
        );
    }

    @Override
    public BreakerSettings getCircuitBreaker(Settings settings) {
        return RecsysBreaker.settings(settings);
    }

    @Override
    public void setCircuitBreaker(CircuitBreaker circuitBreaker) {
        breaker.set(circuitBreaker);
    }

    @Override
    public ScriptEngine getScriptEngine(Settings settings, Collection<ScriptContext<?>> contexts) {
        return new RecsysScriptEngine();
    }

    @Override
    public List<RescorerSpec<?>> getRescorers() {
        return List.of(new RescorerSpec<>(FusedRescorerBuilder.NAME, FusedRescorerBuilder::new, FusedRescorerBuilder::fromXContent));
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        // Processor factories are made before createComponents; the registry is bound when it exists.
        TextEncoders encoders = new TextEncoders() {
            @Override
            public void checkRegistered(String encoderId) {
                registry.get().checkRegistered(encoderId);
            }

            @Override
            public EncodingOptions defaults(String encoderId) {
                return registry.get().defaults(encoderId);
            }

            @Override
            public boolean encodesFactors(String encoderId) {
                return registry.get().encodesFactors(encoderId);
            }

            @Override
            public void encode(String encoderId, String text, EncodingOptions options, BiConsumer<float[], Exception> done) {
                registry.get().encode(encoderId, text, options, done);
            }

            @Override
            public void countSkipped(String encoderId) {
                registry.get().countSkipped(encoderId);
            }
        };
        ServedProjections served = (modelId, done) -> servedModels.get().served(modelId, done);
        // One multi-get serves documents of several bulk requests, perhaps of several users, so it cannot run as any
        // of them: the plugin reads the stored hashes itself. What a document gets from it depends only on its own text.
        ReusableVectorLookup storedVectors =
            new ReusableVectorLookup(new SystemContextClient(parameters.client)::multiGet, parameters.genericExecutor::accept);
        return Map.of(
            TextVectorProcessor.TYPE,
            new TextVectorProcessor.Factory(encoders, storedVectors),
            WalsProjectionProcessor.TYPE,
            new WalsProjectionProcessor.Factory(served)
        );
    }

    @Override
    public Collection<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
        return List.of(
            new ActionHandler<>(PutEncoderAction.TYPE, PutEncoderAction.Transport.class),
            new ActionHandler<>(GetEncodersAction.TYPE, GetEncodersAction.Transport.class),
            new ActionHandler<>(DeleteEncoderAction.TYPE, DeleteEncoderAction.Transport.class),
            new ActionHandler<>(RecsysStatsAction.TYPE, RecsysStatsAction.Transport.class),
            new ActionHandler<>(TrainModelAction.TYPE, TrainModelAction.Transport.class),
            new ActionHandler<>(GetModelsAction.TYPE, GetModelsAction.Transport.class),
            new ActionHandler<>(DeleteModelAction.TYPE, DeleteModelAction.Transport.class),
            new ActionHandler<>(EvaluateModelAction.TYPE, EvaluateModelAction.Transport.class),
            new ActionHandler<>(UserVectorAction.TYPE, UserVectorAction.Transport.class),
            new ActionHandler<>(RecommendAction.TYPE, RecommendAction.Transport.class),
            new ActionHandler<>(RefreshServedModelAction.TYPE, RefreshServedModelAction.Transport.class)
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(
            new RestPutEncoderAction(),
            new RestGetEncodersAction(),
            new RestDeleteEncoderAction(),
            new RestEncoderStatsAction(),
            new RestRecsysStatsAction(),
            new RestTrainModelAction(EsExecutors.allocatedProcessors(settings)),
            new RestGetModelsAction(),
            new RestDeleteModelAction(),
            new RestEvaluateModelAction(),
            new RestCatModelsAction(),
            new RestRecommendAction(),
            new RestUserAction()
        );
    }

    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        List<NamedWriteableRegistry.Entry> entries = new ArrayList<>(TrainingSpecs.namedWriteables());
        entries.add(new NamedWriteableRegistry.Entry(Metadata.Custom.class, EncoderMetadata.TYPE, EncoderMetadata::new));
        entries.add(new NamedWriteableRegistry.Entry(NamedDiff.class, EncoderMetadata.TYPE, EncoderMetadata::readDiffFrom));
        entries.add(new NamedWriteableRegistry.Entry(Task.Status.class, ModelTask.Status.NAME, ModelTask.Status::new));
        entries.addAll(ModelUser.namedWriteables());
        return entries;
    }

    @Override
    public List<NamedXContentRegistry.Entry> getNamedXContent() {
        return List.of(
            new NamedXContentRegistry.Entry(Metadata.Custom.class, new ParseField(EncoderMetadata.TYPE), EncoderMetadata::fromXContent)
        );
    }

    @Override
    public List<QueryVectorBuilderSpec<?>> getQueryVectorBuilders() {
        return List.of(
            new QueryVectorBuilderSpec<>(
                RecsysUserVectorBuilder.NAME,
                RecsysUserVectorBuilder::new,
                (p, c) -> RecsysUserVectorBuilder.fromXContent(p)
            )
        );
    }

    @Override
    public Collection<SystemIndexDescriptor> getSystemIndexDescriptors(Settings settings) {
        return List.of(ModelStore.DESCRIPTOR);
    }

    @Override
    public String getFeatureName() {
        return "recsys";
    }

    @Override
    public String getFeatureDescription() {
        return "Models of the recsys plugin";
    }

    @Override
    public void close() {
        if (registry.get() != null) {
            registry.get().close();
        }
    }
}
