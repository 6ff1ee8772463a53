package io.opflow.core;

/**
 * Where a node's input comes from: an output of an upstream node.
 *
 * @param node the upstream node name
 * @param output the upstream output name
 */
public record InputSource(String node, String output) {
  /** Checks both names are valid. */
  public InputSource {
    Names.requireValid("node", node);
    Names.requireValid("output", output);
  }

  @Override
  public String toString() {
    return node + "." + output;
  }
}
