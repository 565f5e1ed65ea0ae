package io.redisbridge.quickstart;

/**
 * The quick start's command line. A mistake throws {@link IllegalArgumentException} with one line that
 * names the option and what it accepts, before anything is started. {@code quickstart.sh} checks the
 * same rules before it builds anything and prints the full help; this guards a direct {@code java} call.
 */
record QuickStartOptions(int orders, int rate, boolean keepRunning, boolean help) {

  static final String USAGE = "usage: ./quickstart.sh [--orders N] [--rate N] [--keep-running] [--help]";

  static QuickStartOptions parse(String... args) {
    int orders = 20_000;
    int rate = 2_000;
    boolean keepRunning = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--orders" -> orders = positive("--orders", valueAfter(args, i++));
        case "--rate" -> rate = positive("--rate", valueAfter(args, i++));
        case "--keep-running" -> keepRunning = true;
        case "--help", "-h" -> {
          return new QuickStartOptions(orders, rate, keepRunning, true);
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --orders N, --rate N, --keep-running, --help");
      }
    }
    return new QuickStartOptions(orders, rate, keepRunning, false);
  }

  private static String valueAfter(String[] args, int option) {
    if (option + 1 >= args.length || args[option + 1].startsWith("--")) {
      throw new IllegalArgumentException(args[option] + " needs a value: a whole number of at least 1");
    }
    return args[option + 1];
  }

  private static int positive(String option, String value) {
    int number;
    try {
      number = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " takes a whole number of at least 1, not '" + value + "'");
    }
    if (number < 1) {
      throw new IllegalArgumentException(option + " takes a whole number of at least 1, not " + number);
    }
    return number;
  }
}
