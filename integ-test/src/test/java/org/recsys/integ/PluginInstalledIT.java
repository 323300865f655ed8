package org.recsys.integ;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zip installed into a clean distribution and the node started with it. */
@ExtendWith(NodeLogOnFailure.class)
class PluginInstalledIT {

    private final TestNode node = TestNode.get();

    @Test
    void catPluginsListsRecsys() {
        JsonNode plugins = node.ok("GET", "/_cat/plugins?format=json");
        List<String> components = plugins.findValuesAsText("component");
        assertEquals(List.of("recsys"), components, plugins.toString());
    }

    @Test
    void nodeLogShowsNoEntitlementRefusalAndNoError() throws IOException {
        List<String> hits = refusalsAndErrors(node);
        assertTrue(hits.isEmpty(), "entitlement refusals or errors in " + node.log() + ": " + hits);
        assertTrue(Files.size(node.log()) > 0, "the node log is empty");
    }

    /**
     * Refusals and errors in the node log. The build starts the node with the entitlement checker's logger at
     * debug, so even quiet refusals show. Two are expected and harmless: DJL's CUDA probe looks for libcudart in
     * Elasticsearch's own lib/platform directory (JNA's search path), is refused, and rightly concludes there is no
     * GPU; and ONNX Runtime's environment registers a shutdown hook to free itself when the JVM exits, which no plugin
     * may do (the refusal is quiet, and the process's memory is freed at exit anyway).
     */
    static List<String> refusalsAndErrors(TestNode node) throws IOException {
        Pattern refused = Pattern.compile("Not entitled|NotEntitledException|PolicyParserException|\\]\\[ERROR\\s*\\]");
        Pattern expected = Pattern.compile(
            "libcudart\\.so\\]|class ai\\.onnxruntime\\.OrtEnvironment\\], operation \\[java\\.lang\\.Runtime\\.addShutdownHook\\(\\)\\]"
        );
        try (Stream<String> lines = Files.lines(node.log())) {
            return lines.filter(l -> refused.matcher(l).find()).filter(l -> expected.matcher(l).find() == false).toList();
        }
    }
}
