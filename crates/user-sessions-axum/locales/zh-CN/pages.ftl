# 账户页面：“活动会话”。
# 中文没有复数形式（只有 other）。

sessions-title = 活动会话
sessions-intro = 以下是已登录你账户的浏览器和设备。如果有你不认识的，请结束它的会话。
sessions-count = { $count } 个活动会话
sessions-only-one = 这是你唯一的活动会话。
sessions-empty = 没有活动会话。

session-current = 当前会话
session-last-activity = 最近活动
session-signed-in = 登录时间
session-location = 位置
session-ip = IP 地址
session-user-agent = 完整的浏览器标识

device-on = { $platform } 上的 { $browser }
device-unknown = 未知设备
location-unknown = 未知位置
ip-unknown = 未知

time-just-now = 刚刚
time-minutes-ago = { $count } 分钟前
time-hours-ago = { $count } 小时前
time-days-ago =
    { $count ->
        [1] 昨天
       *[other] { $count } 天前
    }
time-months-ago = { $count } 个月前
time-years-ago = { $count } 年前

action-end = 结束会话
action-sign-out = 退出登录
action-end-others = 结束所有其他会话
end-others-hint = 将在所有其他浏览器和设备上退出登录。此浏览器保持登录。
confirm-password-label = 你的密码
confirm-password-hint = 请输入密码以确认。
confirm-reauthenticate = 为了你的账户安全，请先重新登录，再结束其他会话。
confirm-reauthenticate-link = 重新登录

flash-ended-one = 会话已结束。
flash-ended-others =
    { $count ->
        [0] 没有需要结束的其他会话。
       *[other] 已结束 { $count } 个其他会话。
    }
flash-wrong-password = 密码不正确。没有结束任何会话。

error-not-found-title = 未找到会话
error-not-found = 该会话不存在或已结束。
error-forbidden-title = 请求被拒绝
error-forbidden = 无法验证该请求。请刷新页面后重试。
error-unavailable-title = 暂时不可用
error-unavailable = 暂时无法显示会话，请稍后再试。

nav-back = 返回你的会话
nav-home = 首页
