// Read an iCalendar feed on stdin and print its events as JSON, with UTC start and end, the way
// Mozilla's ical.js (Thunderbird, Nextcloud) reads them. Used by tests/calendar as an
// independent parser: nothing here comes from the Python code under test.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const root = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

// ical.js resolves TZID only through zones it knows: register the feed's own VTIMEZONEs, as
// Thunderbird does for a subscribed calendar, so the times below use the feed's rules.
const zones = [];
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  const zone = new ICAL.Timezone(vtz);
  ICAL.TimezoneService.register(zone, zone.tzid);
  zones.push(zone.tzid);
}

const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid") ?? null;
  return {
    uid: event.uid,
    summary: event.summary,
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    tzid,
    // a TZID ical.js could not resolve would leave the time floating: report it, never guess
    zone_known: tzid === null || zones.includes(tzid),
    start: utc(event.startDate),
    end: utc(event.endDate),
  };
});
process.stdout.write(JSON.stringify({
  name: root.getFirstPropertyValue("x-wr-calname"),
  refresh: String(root.getFirstPropertyValue("refresh-interval")),
  events,
}));
