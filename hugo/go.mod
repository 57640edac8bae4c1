module github.com/talkfeed/talkfeed/hugo

go 1.20
