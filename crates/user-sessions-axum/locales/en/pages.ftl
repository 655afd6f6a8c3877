# The account pages: "Active sessions".
# Variables: $count is a number; $device, $browser, $platform are text.

sessions-title = Active sessions
sessions-intro = These are the browsers and devices signed in to your account. If you do not recognise one, end it.
sessions-count =
    { $count ->
        [one] One active session
       *[other] { $count } active sessions
    }
sessions-only-one = This is your only active session.
sessions-empty = There are no active sessions.

session-current = This session
session-last-activity = Last activity
session-signed-in = Signed in
session-location = Location
session-ip = IP address
session-user-agent = Full browser identification

device-on = { $browser } on { $platform }
device-unknown = Unknown device
location-unknown = Unknown location
ip-unknown = Unknown

time-just-now = just now
time-minutes-ago =
    { $count ->
        [one] one minute ago
       *[other] { $count } minutes ago
    }
time-hours-ago =
    { $count ->
        [one] one hour ago
       *[other] { $count } hours ago
    }
time-days-ago =
    { $count ->
        [one] yesterday
       *[other] { $count } days ago
    }
time-months-ago =
    { $count ->
        [one] one month ago
       *[other] { $count } months ago
    }
time-years-ago =
    { $count ->
        [one] one year ago
       *[other] { $count } years ago
    }

action-end = End session
action-sign-out = Sign out
action-end-others = End all other sessions
end-others-hint = Signs you out on every other browser and device. This one stays signed in.
confirm-password-label = Your password
confirm-password-hint = Enter your password to confirm.
confirm-reauthenticate = For your security, sign in again before you end your other sessions.
confirm-reauthenticate-link = Sign in again

flash-ended-one = The session was ended.
flash-ended-others =
    { $count ->
        [0] There were no other sessions to end.
        [one] One other session was ended.
       *[other] { $count } other sessions were ended.
    }
flash-wrong-password = The password was not correct. No session was ended.

error-not-found-title = Session not found
error-not-found = This session does not exist or has already ended.
error-forbidden-title = Request refused
error-forbidden = The request could not be verified. Reload the page and try again.
error-unavailable-title = Temporarily unavailable
error-unavailable = Sessions cannot be shown right now. Please try again in a moment.

nav-back = Back to your sessions
nav-home = Home
