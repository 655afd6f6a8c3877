# The demo's own pages: home, sign-in, navigation.

demo-title = Sessions you can see
demo-signed-in-as = You are signed in as { $user }.
demo-staff = staff
demo-intro-signed-in = Sign in as the same user in another browser or a private window, and a second session appears on your sessions page — where you can end it.
demo-intro = This application keeps every session as a row — with its user, IP address, browser and times — so that you can see where you are signed in and end the sessions you do not recognise.
demo-your-sessions = Your active sessions
demo-all-sessions = All sessions (admin)
demo-sign-out = Sign out
demo-sign-in = Sign in
demo-signed-out-elsewhere = You were signed out from another device, or your session ran out. Sign in again to continue.
demo-accounts = Accounts of this demo
demo-simulate-title = Try it: sign-ins from other devices
demo-simulate-hint = Adds three sessions to your account — an iPhone, an Android phone and a Windows PC, at public addresses — as if you had signed in there.
demo-simulate-button = Simulate a sign-in from another device
demo-nav-sessions = Your sessions
demo-username = Username
demo-password = Password
demo-login-try = Try { $first } or { $second }.
demo-geoip-sample = Locations: sample data made up for this demo, not real geolocation. Set GEOIP_PATH to a GeoLite2 or DB-IP database for real ones.
demo-change-password = Change password
demo-current-password = Current password
demo-new-password = New password
demo-password-changed = Password changed. Your other sessions were signed out; this one stays signed in.
demo-new-sign-in = New sign-in: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = New sign-in: { $device } — { $ago }
