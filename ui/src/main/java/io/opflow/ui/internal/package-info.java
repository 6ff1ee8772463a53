/** The web UI's internals: the event feed, the view it folds events into, and the pages. */
package io.opflow.ui.internal;
