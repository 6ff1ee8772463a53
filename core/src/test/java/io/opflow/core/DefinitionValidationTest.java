package io.opflow.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DefinitionValidationTest {
  private static final OpDefinition<?> A = TestOps.constant("a", 1);
  private static final OpDefinition<?> B = TestOps.addOne("b");

  @Test
  void aCycleIsNamedWithItsPath() {
    assertThatThrownBy(
            () ->
                JobDefinition.builder("job")
                    .add(B.input("num", "c"))
                    .add(B.alias("c").input("num", "b"))
                    .build())
        .isInstanceOf(DefinitionException.class)
        .hasMessage("Invalid job 'job': cycle: b -> c -> b");
  }

  @Test
  void anUnconnectedInputIsNamed() {
    assertThatThrownBy(() -> JobDefinition.builder("job").add(B).build())
        .hasMessage(
            "Invalid job 'job': node 'b': input 'num' is not connected; connect it with"
                + " .input(\"num\", \"<node>\")");
  }

  @Test
  void aDuplicateNodeNameIsNamed() {
    assertThatThrownBy(() -> JobDefinition.builder("job").add(A).add(A).build())
        .hasMessageContaining("duplicate node name 'a'");
  }

  @Test
  void anUnknownUpstreamNodeAndAMissingOutputAndAWrongTypeAreEachNamed() {
    OpDefinition<?> text = OpDefinition.builder("text").output(String.class).body(ctx -> "x");
    assertThatThrownBy(
            () ->
                JobDefinition.builder("job")
                    .add(A)
                    .add(text)
                    .add(B.input("num", "nowhere"))
                    .add(B.alias("b2").input("num", "a", "other"))
                    .add(B.alias("b3").input("num", "text"))
                    .build())
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("(3 problems)")
        .hasMessageContaining("node 'b': input 'num' comes from unknown node 'nowhere'")
        .hasMessageContaining(
            "node 'b2': input 'num' comes from 'a.other', but op 'a' declares no output 'other'; its outputs: result")
        .hasMessageContaining("node 'b3': input 'num' expects Integer but 'text.result' is String");
  }

  @Test
  void anOpOrHookThatNeedsAResourceTheJobDoesNotProvideIsNamed() {
    OpDefinition<?> needsDb =
        OpDefinition.builder("load").requiredResourceKeys("db").body(ctx -> null);
    HookDefinition needsSlack =
        HookDefinition.failureHook("alert").requiredResourceKeys("slack").handler(ctx -> {});
    assertThatThrownBy(() -> JobDefinition.builder("job").add(needsDb).hooks(needsSlack).build())
        .hasMessageContaining(
            "op 'load' (node 'load') requires resource 'db', which the job does not provide; provided: (none)")
        .hasMessageContaining(
            "hook 'alert' requires resource 'slack', which the job does not provide");
  }

  @Test
  void twoDifferentHooksWithOneNameAreRefused() {
    HookDefinition one = HookDefinition.successHook("notify").handler(ctx -> {});
    HookDefinition other = HookDefinition.successHook("notify").handler(ctx -> {});
    assertThatThrownBy(
            () -> JobDefinition.builder("job").add(A.withHooks(other)).hooks(one).build())
        .hasMessageContaining("two different hooks are named 'notify'");
  }

  @Test
  void anInvalidNameSaysWhatIsAllowed() {
    assertThatThrownBy(() -> OpDefinition.builder("no spaces"))
        .hasMessage(
            "invalid op name 'no spaces': use letters, digits, '_', '.' or '-', starting with a letter or '_'");
  }

  @Test
  void anUnknownJobNamesTheKnownOnes() {
    Definitions definitions =
        Definitions.builder().jobs(JobDefinition.builder("etl").add(A).build()).build();
    assertThatThrownBy(() -> definitions.job("elt"))
        .isInstanceOf(UnknownDefinitionException.class)
        .hasMessage("unknown job 'elt'; known jobs: etl");
  }
}
