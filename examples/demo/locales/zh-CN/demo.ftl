# The demo's own pages: home, sign-in, navigation.

demo-title = 你能看到的会话
demo-signed-in-as = 你已作为 { $user } 登录。
demo-staff = 员工
demo-intro-signed-in = 在另一个浏览器或隐私窗口中以同一用户登录，你的会话页面上就会出现第二个会话——你可以在那里结束它。
demo-intro = 本应用把每个会话保存为一行——包括用户、IP 地址、浏览器和时间——让你看到自己在哪里登录，并结束不认识的会话。
demo-your-sessions = 你的活跃会话
demo-all-sessions = 所有会话（管理）
demo-sign-out = 退出登录
demo-sign-in = 登录
demo-signed-out-elsewhere = 您已在另一台设备上被退出登录，或会话已过期。请重新登录以继续。
demo-accounts = 本演示的账号
demo-simulate-title = 试一试：来自其他设备的登录
demo-simulate-hint = 为你的账号添加三个会话——一部 iPhone、一部 Android 手机和一台 Windows 电脑，来自公网地址——就像你在那里登录过一样。
demo-simulate-button = 模拟从另一台设备登录
demo-nav-sessions = 你的会话
demo-username = 用户名
demo-password = 密码
demo-login-try = 试试 { $first } 或 { $second }。
demo-geoip-sample = 位置：为本演示编造的示例数据，并非真实的地理定位。将 GEOIP_PATH 设为 GeoLite2 或 DB-IP 数据库即可看到真实位置。
demo-change-password = 修改密码
demo-current-password = 当前密码
demo-new-password = 新密码
demo-password-changed = 密码已修改。你的其他会话已退出登录；当前会话保持登录。
demo-new-sign-in = 新的登录：{ $device }，{ $location } — { $ago }
demo-new-sign-in-unlocated = 新的登录：{ $device } — { $ago }
