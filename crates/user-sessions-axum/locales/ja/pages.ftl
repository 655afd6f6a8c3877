# アカウントのページ：「アクティブなセッション」。
# 日本語には複数形がありません（other のみ）。

sessions-title = アクティブなセッション
sessions-intro = あなたのアカウントにログインしているブラウザとデバイスです。心当たりのないものがあれば、そのセッションを終了してください。
sessions-count = アクティブなセッション：{ $count } 件
sessions-only-one = これが唯一のアクティブなセッションです。
sessions-empty = アクティブなセッションはありません。

session-current = このセッション
session-last-activity = 最終アクティビティ
session-signed-in = ログイン
session-location = 場所
session-ip = IP アドレス
session-user-agent = ブラウザの識別情報（全文）

device-on = { $platform } の { $browser }
device-unknown = 不明なデバイス
location-unknown = 不明な場所
ip-unknown = 不明

time-just-now = たった今
time-minutes-ago = { $count } 分前
time-hours-ago = { $count } 時間前
time-days-ago =
    { $count ->
        [1] 昨日
       *[other] { $count } 日前
    }
time-months-ago = { $count } か月前
time-years-ago = { $count } 年前

action-end = セッションを終了
action-sign-out = ログアウト
action-end-others = 他のすべてのセッションを終了
end-others-hint = 他のすべてのブラウザとデバイスからログアウトします。このブラウザはログインしたままです。
confirm-password-label = パスワード
confirm-password-hint = 確認のためパスワードを入力してください。
confirm-reauthenticate = セキュリティのため、他のセッションを終了する前にもう一度ログインしてください。
confirm-reauthenticate-link = もう一度ログイン

flash-ended-one = セッションを終了しました。
flash-ended-others =
    { $count ->
        [0] 終了する他のセッションはありませんでした。
       *[other] 他のセッションを { $count } 件終了しました。
    }
flash-wrong-password = パスワードが正しくありません。セッションは終了していません。

error-not-found-title = セッションが見つかりません
error-not-found = このセッションは存在しないか、すでに終了しています。
error-forbidden-title = リクエストが拒否されました
error-forbidden = リクエストを確認できませんでした。ページを再読み込みして、もう一度お試しください。
error-unavailable-title = 一時的に利用できません
error-unavailable = 現在セッションを表示できません。しばらくしてからもう一度お試しください。

nav-back = セッション一覧に戻る
nav-home = ホーム
