package org.recsys.core.util;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts one element from the forbidden-apis check of {@code mvn verify} (the plugin matches any annotation of this
 * simple name); {@link #reason} says why, as Elasticsearch's own {@code @SuppressForbidden} does.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE })
public @interface SuppressForbidden {
    String reason();
}
