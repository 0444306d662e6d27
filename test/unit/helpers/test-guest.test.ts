import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateTestGuest, testGuestDir } from '../../helpers/test-guest.ts';

test('the guest cache follows VIRTMON_CACHE, else ~/.cache/virtmon', () => {
  assert.equal(testGuestDir({ VIRTMON_CACHE: '/srv/cache' }), '/srv/cache/guest');
  assert.equal(testGuestDir({ HOME: '/home/op' }), '/home/op/.cache/virtmon/guest');
});

test('a missing guest fails with a message that says how to build it', () => {
  assert.throws(() => locateTestGuest({ VIRTMON_CACHE: '/nonexistent/vmt-cache' }),
    /test guest not built \(missing \/nonexistent\/vmt-cache\/guest\/vmlinuz.*run `sudo bash scripts\/setup-debian.sh`/);
});
