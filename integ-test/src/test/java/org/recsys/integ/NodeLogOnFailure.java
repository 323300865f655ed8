package org.recsys.integ;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.recsys.core.util.SuppressForbidden;

/** Prints the end of the node's log into the failing test's output, so the report shows what the node saw. */
public final class NodeLogOnFailure implements TestWatcher {

    @Override
    @SuppressForbidden(reason = "the test report shows what the test wrote to stderr")
    public void testFailed(ExtensionContext context, Throwable cause) {
        TestNode node = TestNode.get();
        System.err.println("---- " + context.getDisplayName() + " failed; last lines of the node log " + node.log() + " ----");
        node.logTail(80).forEach(System.err::println);
        System.err.println("---- end of node log ----");
    }
}
