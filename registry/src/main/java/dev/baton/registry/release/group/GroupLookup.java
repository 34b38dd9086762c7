package dev.baton.registry.release.group;

import dev.baton.common.model.Release;
import io.vertx.core.Future;

/** What the release controller asks about a release's group, and tells it. */
public interface GroupLookup {

  /** The other members of {@code r}'s group, fresh to within a look; {@link GroupView#NONE} for a release of none. */
  Future<GroupView> view(Release r);

  /** {@code r}, a member of a group, was saved: the group's own record follows. */
  void saved(Release r);

  /** No groups: every release stands alone. */
  GroupLookup NONE = new GroupLookup() {
    @Override
    public Future<GroupView> view(Release r) {
      return Future.succeededFuture(GroupView.NONE);
    }

    @Override
    public void saved(Release r) {
    }
  };
}
