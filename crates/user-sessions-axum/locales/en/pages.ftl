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
session-details = Details
session-active-ago = Active { $ago }

device-on = { $browser } on { $platform }
device-unknown = Unknown device
hints-mobile-yes = mobile: yes
hints-mobile-no = mobile: no
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
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
notice-dismiss = Dismiss
action-end-others = End all other sessions
end-others-hint = Signs you out on every other browser and device. This one stays signed in.
confirm-password-label = Your password
confirm-password-hint = Enter your password to confirm.
confirm-reauthenticate = For your security, sign in again before you end your other sessions.
confirm-reauthenticate-link = Sign in again

flash-ended-one = The session was ended.
flash-ended-device = { $device } was signed out.
flash-ended-others =
    { $count ->
        [0] There were no other sessions to end.
        [one] One other session was ended.
       *[other] { $count } other sessions were ended.
    }
flash-wrong-password = The password was not correct. No session was ended.
flash-too-many-passwords = Too many wrong passwords. No session was ended; try again in a few minutes.

error-not-found-title = Session not found
error-not-found = This session does not exist or has already ended.
error-forbidden-title = Request refused
error-forbidden = The request could not be verified. Reload the page and try again.
error-bad-request-title = Invalid request
error-bad-request = The submitted form could not be read. Reload the page and try again.
error-unavailable-title = Temporarily unavailable
error-unavailable = Sessions cannot be shown right now. Please try again in a moment.

nav-back = Back to your sessions
nav-home = Home
nav-signed-in-as = Signed in as { $user }

# The admin pages: every session of every user, for staff.
# Variables: $count is a number.

admin-title = All sessions
admin-intro = Every session of every user. Search for a user or an IP address, and end the sessions you select.
admin-search-label = Search
admin-search-submit = Search
admin-search-clear = Clear search
admin-search-hint = A username, name or email address; or an IP address, or its beginning ({ $example }).
admin-search-truncated = Too many users match; only the sessions of the first { $count } are listed. Search more precisely.
admin-filter-status = By status
admin-filter-all = All
admin-filter-active = Active
admin-filter-expired = Expired
admin-filter-owner = By owner
admin-filter-everyone = Everyone
admin-filter-mine = Mine
admin-filter-user = Only the sessions of this user:
admin-filter-clear = Show every user’s
admin-column-select = Select
admin-column-user = User
admin-column-ip = IP address
admin-column-location = Location
admin-column-device = Device
admin-column-last-activity = Last activity
admin-column-signed-in = Signed in
admin-column-expires = Expires
admin-column-status = Status
admin-status-valid = Valid
admin-status-expired = Expired
admin-anonymous = Not signed in
admin-select-session = Select this session
admin-select-all = Select all sessions on this page
admin-empty = No session matches.
admin-result-count =
    { $count ->
        [one] One session
       *[other] { $count } sessions
    }
admin-result-more = More on the next page.
admin-pages = Pages
admin-first-page = First page
admin-next-page = Next page
admin-action-end-selected = End selected sessions
admin-action-end-user = End all of this user’s sessions
admin-end-user-hint = Signs this user out on every browser and device.
admin-action-purge = Delete expired sessions
admin-purge-hint = Expired sessions can no longer be used; this removes them from the database now.
admin-ended =
    { $count ->
        [0] No session was ended.
        [one] One session was ended.
       *[other] { $count } sessions were ended.
    }
admin-nothing-selected = No session was selected.
admin-confirm-title = Please confirm
admin-confirm-end-selected = 
    { $count ->
        [one] End the selected session?
       *[other] End the { $count } selected sessions?
    }
admin-confirm-end-selected-hint = The browsers that use them are signed out on their next request.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } has no sessions to end.
        [one] End the one session of { $user }?
       *[other] End all { $count } sessions of { $user }?
    }
admin-confirm-end-user-hint = They are signed out of every browser and device.
admin-confirm-purge = 
    { $count ->
        [0] There are no expired sessions to delete.
        [one] Delete the one expired session?
       *[other] Delete { $count } expired sessions?
    }
admin-confirm-purge-hint = Expired sessions can no longer be used; this removes them from the database now.
admin-confirm-button-end = 
    { $count ->
        [one] End one session
       *[other] End { $count } sessions
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Delete one session
       *[other] Delete { $count } sessions
    }
admin-confirm-cancel = Cancel
admin-detail-title = Session details
admin-back = Back to all sessions
admin-field-user = User
admin-field-user-id = User id
admin-field-public-id = Public id
admin-field-ip = IP address
admin-field-location = Location
admin-field-user-agent = Browser identification
admin-field-client-hints = Client hints
admin-field-created = Created
admin-field-last-activity = Last activity
admin-field-signed-in = Signed in
admin-field-expires = Expires
admin-data-title = Session data
admin-data-key = Key
admin-data-value = Value
admin-data-hidden = hidden
admin-data-empty = This session holds no data.
admin-action-end-one = End this session
admin-forbidden-title = Staff only
admin-forbidden = Only staff members may see the sessions of all users.
admin-bad-request-title = Invalid request
admin-bad-request = The address of this page is not valid. Start again from the list of sessions.
