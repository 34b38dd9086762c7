package dev.baton.cli.watch;

import dev.baton.cli.client.Api;
import dev.baton.cli.client.CliException;
import dev.baton.cli.client.Sse;
import dev.baton.cli.io.Json;
import dev.baton.cli.io.Values;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code baton status APP --watch} (docs/cli.md, "Watching a release"): follows the app's release to its end,
 * redrawn on what the registry streams — {@code GET /v1/events?app=} (a release or instance changed: the app view
 * and the release are fetched again) and {@code GET /v1/apps/{app}/traffic/stream} (the gateways' figures each
 * second). Nothing is polled; only a due analysis verdict, which the registry records without an event, makes the
 * watcher fetch the release once its interval has passed. The model is touched by this thread only: the stream
 * readers hand it updates through a queue.
 */
public final class Watcher {

  private sealed interface Update permits Event, Tick, Note, Connected {
  }

  private record Event(Map<String, Object> event) implements Update {
  }

  private record Tick(Map<String, Object> data) implements Update {
  }

  private record Note(String text, boolean trafficGone) implements Update {
  }

  private record Connected() implements Update {
  }

  private static final long PLAIN_TRAFFIC_EVERY_MS = 5000;

  private final Api api;
  private final String app;
  private final PrintWriter out;
  private final boolean terminal;
  private final WatchModel model;
  private final BlockingQueue<Update> queue = new LinkedBlockingQueue<>();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final Map<String, String> printed = new HashMap<>();
  private String followed;
  private long lastTrafficLine;
  private long lastAnalysisFetch;

  /** Follows {@code releaseId}, or the app's active release (or the next one to start) when null. */
  public Watcher(Api api, String app, String releaseId, PrintWriter out, boolean terminal) {
    this.api = api;
    this.app = app;
    this.followed = releaseId;
    this.out = out;
    this.terminal = terminal;
    this.model = new WatchModel(app);
  }

  /** The followed release as last fetched (empty before one is known). */
  public Map<String, Object> release() {
    return model.release();
  }

  /** Watches until the release ends; returns 0 when it succeeded, 1 when it was aborted or failed. */
  public int run() throws InterruptedException {
    String q = URLEncoder.encode(app, StandardCharsets.UTF_8);
    reader("events", "/v1/events?app=" + q, e -> queue.add(new Event(Json.object(e.data()))), false);
    reader("traffic", "/v1/apps/" + q + "/traffic/stream", e -> {
      if ("traffic".equals(e.name())) {
        queue.add(new Tick(Json.object(e.data())));
      }
    }, true);
    subscribed.await(5, TimeUnit.SECONDS);
    refresh(true);
    try {
      model.seedTraffic(api.get("/v1/apps/" + q + "/traffic?seconds=15"));
    } catch (CliException e) {
      model.trafficUnavailable("no traffic figures yet: " + e.getMessage());
    }
    if (!terminal) {
      out.println("watching " + app + " on " + api.target().registry() + " (one line per change; a terminal gets a live view)");
    }
    draw();
    while (!model.over()) {
      long due = model.analysisDueAt();
      Update u = queue.poll(due == 0 ? 30_000 : Math.max(200, Math.min(1000, due - System.currentTimeMillis() + 200)),
          TimeUnit.MILLISECONDS);
      boolean refetch = false;
      for (; u != null; u = queue.poll()) {
        refetch |= apply(u);
      }
      due = model.analysisDueAt();
      long now = System.currentTimeMillis();
      if (due != 0 && now >= due && now - lastAnalysisFetch >= 1000) {
        lastAnalysisFetch = now;
        refetch = true;
      }
      if (refetch) {
        refresh(false);
      }
      draw();
    }
    return model.exitCode();
  }

  private boolean apply(Update u) {
    if (u instanceof Event e) {
      model.event(e.event());
      return true;
    }
    if (u instanceof Tick t) {
      model.traffic(t.data());
    } else if (u instanceof Note n && n.trafficGone()) {
      model.trafficUnavailable(n.text());
    } else if (u instanceof Note n) {
      model.note(n.text());
    } else if (u instanceof Connected) {
      model.note("");
      return true;
    }
    return false;
  }

  /** Fetches the app view and the followed release; during the watch a failure is shown, not fatal. */
  private void refresh(boolean first) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> view = (Map<String, Object>) api.get("/v1/apps/" + URLEncoder.encode(app, StandardCharsets.UTF_8));
      model.view(view);
      if (followed == null && Values.has(view, "activeRelease")) {
        followed = Values.str(Values.map(view, "activeRelease"), "id");
      }
      if (followed != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) api.get("/v1/releases/" + URLEncoder.encode(followed, StandardCharsets.UTF_8));
        model.release(r);
      }
    } catch (CliException e) {
      if (first) {
        throw e;
      }
      model.note(e.getMessage() + "; waiting for the stream to come back");
    }
  }

  private void draw() {
    long now = System.currentTimeMillis();
    if (terminal) {
      StringBuilder b = new StringBuilder("\033[H\033[2J");
      WatchView.screen(model, now).forEach(l -> b.append(l).append('\n'));
      out.print(b);
      out.flush();
      return;
    }
    String clock = WatchView.CLOCK.format(Instant.ofEpochMilli(now));
    WatchView.facts(model).forEach((key, line) -> {
      if (line.equals(printed.get(key))) {
        return;
      }
      if (key.equals("traffic") && now - lastTrafficLine < PLAIN_TRAFFIC_EVERY_MS && printed.containsKey(key)) {
        return;
      }
      if (key.equals("traffic")) {
        lastTrafficLine = now;
      }
      printed.put(key, line);
      out.println(clock + "  " + line);
    });
    out.flush();
  }

  /** A daemon thread that reads one stream into the queue, reconnecting after the registry closes it. */
  private void reader(String name, String path, java.util.function.Consumer<Sse.Event> sink, boolean traffic) {
    Thread t = new Thread(() -> {
      long backoff = 500;
      while (true) {
        try (Stream<String> lines = api.lines(path)) {
          if (!traffic) {
            subscribed.countDown();
          }
          queue.add(new Connected());
          backoff = 500;
          Sse.read(lines, sink);
          queue.add(new Note("the registry closed the " + name + " stream; reconnecting", traffic));
        } catch (CliException e) {
          subscribed.countDown();
          if (traffic && e.httpStatus() == 404) {
            queue.add(new Note("this registry has no traffic stream", true));
            return;
          }
          queue.add(new Note(e.getMessage(), traffic));
        } catch (RuntimeException e) {
          queue.add(new Note(name + " stream: " + e.getMessage(), traffic));
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(5000, backoff * 2);
      }
    }, "baton-watch-" + name);
    t.setDaemon(true);
    t.start();
  }
}
